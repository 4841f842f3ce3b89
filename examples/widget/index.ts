// The reference widget (examples/widget): the connected widget, its presentational pieces and its words.

export {
  type HeadlineAndDetail,
  languageOf,
  type WidgetLabels,
  widgetLabels,
  widgetLabelsEn,
  widgetLabelsNb,
} from './labels'
export {
  AwayForm,
  type AwayFormProps,
  type AwayFormValues,
  ChatEnded,
  ChatPanel,
  type ChatPanelProps,
  Composer,
  type HistoryItem,
  HistoryList,
  MessageLog,
  WidgetShell,
  type WidgetTheme,
} from './parts'
export { ReferenceWidget, type ReferenceWidgetProps } from './ReferenceWidget'
export {
  announcerWords,
  issueText,
  stateOf,
  stateWords,
  timeWords,
  visitorText,
  type WidgetLocale,
  type WidgetState,
  waitWords,
} from './words'

// The endpoint functions, one per endpoint, each defined in its own module under ./endpoints.
export { addMessageContext } from './endpoints/addMessageContext'
export { closeConversation } from './endpoints/closeConversation'
export { createConversation } from './endpoints/createConversation'
export { getConversation } from './endpoints/getConversation'
export { addMessages, listMessages } from './endpoints/messages'
export { changeTakeover, getTakeover } from './endpoints/takeover'
export { updateFeedback } from './endpoints/updateFeedback'
export { updateLatestUrl } from './endpoints/updateLatestUrl'

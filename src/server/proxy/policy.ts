// What a visitor may send to each endpoint: each rule lives in its endpoint's module; this file lays them out for the guards.
import { type EndpointName, POLICIES } from '../../core/endpoints'
import type { QueryAllowList, VisitorPolicy } from '../../core/endpoints/endpoint'

export type { EndpointName } from '../../core/endpoints'
export type { PolicyInput, PolicyVerdict, VisitorPolicy } from '../../core/endpoints/endpoint'
export { CREATION_TIME_SKEW_MS } from '../../core/endpoints/messages'

const names = Object.keys(POLICIES) as EndpointName[]

/**
 * Every endpoint's visitor rule. What a rule does not copy is dropped: a visitor's body never
 * reaches the Chat API as sent.
 */
export const VISITOR_POLICY = Object.fromEntries(names.map((name) => [name, POLICIES[name].body])) as {
  [K in EndpointName]: VisitorPolicy
}

/** The query parameters each endpoint takes (what the client's checks cover); anything else is dropped. */
export const READ_QUERY = Object.fromEntries(names.map((name) => [name, POLICIES[name].query ?? {}])) as {
  [K in EndpointName]: QueryAllowList
}

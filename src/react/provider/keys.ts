// chatKeys: the query and mutation keys of everything the library caches, one table in the endpoint list's module
// (each key is defined in its endpoint's module). Re-exported here for the React half.
export { type ChatKeyTable, chatKeys } from '../../core/endpoints'

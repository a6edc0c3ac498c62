/** The routing step: model mapping, rules, profiles, the fallback chain and provider health. */
export * from './modelMapping';
export * from './plan';
export * from './health';
export * from './failover';
export { requestFacts, type RequestFacts } from './requestFacts';

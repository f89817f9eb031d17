/** The chargeback estimate: the rate card applied to the plan (pure; no CDK, no CDKTF). */
export * from './allocate';
export * from './estimate';
export * from './format';

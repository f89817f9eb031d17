export * from './korea-law-checks';
export * from './outcomes';
export * from './report';
export * from './rule';
export * from './rules/audit-object-lock';
export * from './rules/log-retention';
export * from './rules/no-wildcard-data-resource';
export * from './rules/own-cooperative-key';

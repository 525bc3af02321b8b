export * from './field-error';
export * from './webhook-rules';
export * from './permissions';
export * from './auto-disable';
export * from './delivery-cursor';
export * from './header-masking';
export * from './webhook-cursor';
export * from './live-change';

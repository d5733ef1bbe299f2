// core/framework: what the controllers and frameworks agree on beyond the schemas: which task and
// operation states are terminal, what a task still holds, the marks on records, and how a
// framework shows it is alive.
export * from './states.ts';
export * from './holding.ts';
export * from './marks.ts';
export * from './liveness.ts';

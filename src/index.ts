// Public API. This file only re-exports; nothing imports it.
export * from './core/compliance-profile';
export * from './core/alarm-options';
export * from './core/compliance-checks';
export * from './monitoring/monitoring';
export * from './monitoring/monitored-props';
export * from './function/function-alarms';
export * from './function/secure-function';
export * from './queue-worker/queue-worker-alarms';
export * from './queue-worker/queue-worker';
export * from './topic/topic-alarms';
export * from './topic/secure-topic';
export * from './event-hub/hub-target';
export * from './event-hub/hub-route';
export * from './event-hub/event-hub-alarms';
export * from './event-hub/event-hub';

import { AlarmSpec } from '../private/alarm-set';
import { deadLetterQueueAlarm } from '../private/dead-letter-queue';
import { eventRouteAlarms } from '../private/event-route';
import { SCHEDULE_GROUP_ALARMS } from '../private/schedules';

// Internal to the library (not re-exported from index.ts): the alarms and dashboard widgets of an EventHub.

/** How to replay events from the archive, for alarm descriptions. */
const REPLAY = 'Replay the failure window from the hub\'s archive (EventBridge console > Archives > Start replay, limited to the rule; '
  + 'or aws events start-replay), or re-put the dead-letter message bodies with aws events put-events.';

/** The alarms of an EventHub, keyed like `EventHubAlarmsProps`. `where` names the route, queue or hub. */
export const EVENT_HUB_ALARMS = {
  deadLetterQueueMessages: deadLetterQueueAlarm('deadLetterQueueMessages', ({ where }) =>
    `Events that could not be delivered are in the dead-letter queue of ${where}. `
    + 'Inspect them: SQS console > the queue > Send and receive messages > Poll for messages. Rule deliveries carry RULE_ARN, TARGET_ARN, ERROR_CODE '
    + 'and ERROR_MESSAGE attributes, schedules X-Amz-Scheduler-* attributes, and the bus\'s own failures (KMS errors) the encrypted event. '
    + 'Fix the cause (target permissions, deleted or throttled target, disabled key). '
    + `${REPLAY} Then delete the messages. They expire after the queue's retention period (14 days for queues the hub creates).`),
  ...eventRouteAlarms(REPLAY),
  ...SCHEDULE_GROUP_ALARMS,
} satisfies Record<string, AlarmSpec>;

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlarmMeasure, AlarmSpec } from '../private/alarm-set';
import { STATES_ALARM_DEFAULTS, STATES_LIMITS } from '../private/defaults/states';

// Internal to the library (not re-exported from index.ts): the alarm specs and dashboard widgets of a Workflow.

/** Where to look first, in every runbook text: the execution list and the retained log group. */
const LOOK = 'Step Functions console > the state machine > Executions (filter by status), or the log group\'s ExecutionFailed/TaskFailed events '
  + '(CloudWatch Logs Insights: filter type like /Failed|TimedOut|Aborted/)';

/** The alarms of a Workflow, keyed like `WorkflowAlarmsProps`. */
export const WORKFLOW_ALARMS = {
  executionsFailed: {
    id: 'ExecutionsFailedAlarm',
    option: 'executionsFailed',
    measure: AlarmMeasure.COUNT,
    defaults: STATES_ALARM_DEFAULTS.executionsFailed,
    describe: ({ where }) => `Executions of the workflow ${where} failed: a state failed and no Catch handled it. Find them: ${LOOK}. `
      + 'The failed state\'s error and cause say what broke (a task\'s own error, States.Permissions for a missing grant, States.TaskFailed for a '
      + 'service error after its retries). Fix it, then redrive each failed Standard execution from the state that failed (console: Redrive, or '
      + 'aws stepfunctions redrive-execution --execution-arn <arn>, within 14 days) or start it again with its input.',
  } satisfies AlarmSpec,
  executionsTimedOut: {
    id: 'ExecutionsTimedOutAlarm',
    option: 'executionsTimedOut',
    measure: AlarmMeasure.COUNT,
    defaults: STATES_ALARM_DEFAULTS.executionsTimedOut,
    describe: ({ where }) => `Executions of the workflow ${where} ran longer than its timeout and were stopped. Find them: ${LOOK}; the last `
      + 'state entered is where it waited: a task without its own timeout, a callback (.waitForTaskToken) whose token was never returned, or a '
      + 'Wait state. Give that task a TimeoutSeconds or HeartbeatSeconds, or raise the workflow\'s timeout; then redrive or restart the executions.',
  } satisfies AlarmSpec,
  executionsAborted: {
    id: 'ExecutionsAbortedAlarm',
    option: 'executionsAborted',
    measure: AlarmMeasure.COUNT,
    defaults: STATES_ALARM_DEFAULTS.executionsAborted,
    describe: ({ where }) => `Executions of the workflow ${where} were stopped before they ended (StopExecution by a person or program, or a parent `
      + `execution that stopped). Find them: ${LOOK}; CloudTrail's StopExecution events say who stopped them. If that was not intended, start `
      + 'them again with their input.',
  } satisfies AlarmSpec,
  executionThrottled: {
    id: 'ExecutionThrottledAlarm',
    option: 'executionThrottled',
    measure: AlarmMeasure.COUNT,
    defaults: STATES_ALARM_DEFAULTS.executionThrottled,
    describe: ({ where }) => `Step Functions throttled state transitions of the workflow ${where}: executions run `
      + 'slower than written. Compare the ExecutionsStarted and StateTransition metrics with the account\'s Step Functions quotas in Service '
      + 'Quotas (StartExecution and state transition buckets per region); smooth the callers (a queue in front), use an Express workflow for '
      + 'high-volume short work, or ask for a quota increase.',
  } satisfies AlarmSpec,
  executionTimeP90: {
    id: 'ExecutionTimeP90Alarm',
    option: 'executionTimeP90',
    measure: AlarmMeasure.LATENCY,
    defaults: STATES_ALARM_DEFAULTS.executionTimeP90,
    range: { min: Duration.seconds(1), max: STATES_LIMITS.maxExpressTimeout },
    describe: ({ where }) => `The p90 execution time of the Express workflow ${where} is close to the five-minute limit at which Express `
      + `executions are stopped. Find the slow states in the log group (ExecutionSucceeded events carry the duration; ${LOOK}): a slow task, `
      + 'retries with long backoff, or a Map over too many items. Make them faster, or move long work to a Standard workflow.',
  } satisfies AlarmSpec,
};

/** The metrics of the alarms, by alarm. */
export function workflowMetrics(stateMachine: sfn.IStateMachine) {
  const sum = (period: Duration) => ({ period, statistic: cloudwatch.Stats.SUM });
  return {
    executionsFailed: (period: Duration) => stateMachine.metricFailed(sum(period)),
    executionsTimedOut: (period: Duration) => stateMachine.metricTimedOut(sum(period)),
    executionsAborted: (period: Duration) => stateMachine.metricAborted(sum(period)),
    executionThrottled: (period: Duration) => stateMachine.metricThrottled(sum(period)),
    executionTimeP90: (period: Duration) => stateMachine.metricTime({ period, statistic: cloudwatch.Stats.percentile(90) }),
  };
}

/** Dashboard widgets of a workflow. */
export function workflowWidgets(stateMachine: sfn.IStateMachine): cloudwatch.IWidget[] {
  const sum = { statistic: cloudwatch.Stats.SUM };
  return [
    new cloudwatch.GraphWidget({
      title: 'Executions',
      left: [stateMachine.metricStarted(sum), stateMachine.metricSucceeded(sum)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Failed / timed out / aborted / throttled',
      left: [stateMachine.metricFailed(sum), stateMachine.metricTimedOut(sum), stateMachine.metricAborted(sum), stateMachine.metricThrottled(sum)],
      width: 8,
    }),
    new cloudwatch.GraphWidget({
      title: 'Execution time (p50, p90)',
      left: [
        stateMachine.metricTime({ statistic: cloudwatch.Stats.percentile(50), label: 'p50' }),
        stateMachine.metricTime({ statistic: cloudwatch.Stats.percentile(90), label: 'p90' }),
      ],
      width: 8,
    }),
  ];
}

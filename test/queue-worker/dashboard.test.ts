import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Monitoring, QueueWorker, SecureFunction } from '../../src';
import { INLINE_CODE, testStack } from '../support/app';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

/** The dashboard body as text, each CloudFormation reference rendered as `<Ref>` or `<Id.Attr>`. */
function dashboardText(stack: Stack, monitoring: Monitoring): string {
  const id = stack.getLogicalId(monitoring.dashboard!.node.defaultChild as any);
  const body = Template.fromStack(stack).toJSON().Resources[id].Properties.DashboardBody;
  const render = (part: any): string => typeof part === 'string' ? part
    : part.Ref ? `<${part.Ref}>` : part['Fn::GetAtt'] ? `<${part['Fn::GetAtt'].join('.')}>` : JSON.stringify(part);
  return typeof body === 'string' ? body : body['Fn::Join'][1].map(render).join('');
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('the QueueWorker dashboard section', () => {
  test('has a heading, the queue, age and dead-letter graphs, and the handler graphs once', () => {
    const stack = testStack();
    const worker = new QueueWorker(stack, 'Orders', { handlerProps: HANDLER });
    const text = dashboardText(stack, Monitoring.of(stack));

    expect(text).toContain('## QueueWorker TestStack/Orders');
    expect(text).toContain('## Function TestStack/Orders/Handler');
    expect(count(text, '"title":"Queue depth"')).toBe(1);
    expect(count(text, '"title":"Oldest message age (s)"')).toBe(1);
    expect(count(text, '"title":"Dead-letter queue"')).toBe(1);
    // The SecureFunction's own section has the handler graphs; the worker does not repeat them.
    expect(count(text, '"title":"Invocations / errors"')).toBe(1);
    // The graphs show this worker's queues.
    const queueName = `<${stack.getLogicalId(worker.queue.node.defaultChild as any)}.QueueName>`;
    const dlqName = `<${stack.getLogicalId(worker.deadLetterQueue!.node.defaultChild as any)}.QueueName>`;
    expect(text).toContain(queueName);
    expect(text).toContain(dlqName);
  });

  test('a plain function handler gets its graphs in the worker section', () => {
    const stack = testStack();
    const fn = new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_24_X, ...HANDLER });
    new QueueWorker(stack, 'Orders', { handler: fn });
    const text = dashboardText(stack, Monitoring.of(stack));
    expect(count(text, '"title":"Invocations / errors"')).toBe(1);
    expect(text).toContain(`<${stack.getLogicalId(fn.node.defaultChild as any)}>`);
  });

  test('a brought SecureFunction handler keeps its own section, not repeated by the worker', () => {
    const stack = testStack();
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    new QueueWorker(stack, 'Orders', { handler: fn.lambdaFunction });
    const text = dashboardText(stack, Monitoring.of(stack));
    expect(count(text, '"title":"Invocations / errors"')).toBe(1);
    expect(text).toContain('## QueueWorker TestStack/Orders');
  });
});

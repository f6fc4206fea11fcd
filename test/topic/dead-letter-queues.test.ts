import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { IConstruct } from 'constructs';
import { SecureTopic, TopicSubscription } from '../../src';
import { FOURTEEN_DAYS, newStack } from '../support/app';
import { expectProperties, keyStatementFor, resourceOf } from '../support/template';

const FOUR_DAYS = 4 * 24 * 3600;

/** The statements of the policy of `queue`. */
function queueStatements(template: Template, stack: Stack, queue: sqs.IQueue): any[] {
  const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [stack.resolve(queue.queueUrl)] } }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function isSnsSend(statement: any): boolean {
  return statement.Effect === 'Allow' && statement.Action === 'sqs:SendMessage' && JSON.stringify(statement.Principal) === '{"Service":"sns.amazonaws.com"}';
}

function groupOf(topic: SecureTopic, sub: TopicSubscription): IConstruct {
  return topic.node.findChild('Subscriptions').node.findChild(sub.subscriptionId);
}

describe('SecureTopic subscription dead-letter queue: created or adopted', () => {
  let stack: Stack;
  let topic: SecureTopic;
  let ownKey: kms.Key;
  let own: sqs.Queue;
  let created: TopicSubscription;
  let adopted: TopicSubscription;
  let template: Template;

  beforeAll(() => {
    stack = newStack();
    topic = new SecureTopic(stack, 'T');
    ownKey = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
    own = new sqs.Queue(stack, 'Own', { enforceSSL: true, encryptionMasterKey: ownKey, retentionPeriod: Duration.days(4) });
    const subscriber = (id: string) => new sqs.Queue(stack, id, { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED });
    created = topic.subscribeQueue('Created', subscriber('A'));
    adopted = topic.subscribeQueue('Adopted', subscriber('B'), { deadLetterQueue: own });
    template = Template.fromStack(stack);
  });

  test('created: a queue in the subscription\'s group, kept 14 days, encrypted, retained', () => {
    expect(created.deadLetterQueue).toBe(groupOf(topic, created).node.findChild('DeadLetterQueue'));
    expectProperties(template, created.deadLetterQueue, { MessageRetentionPeriod: FOURTEEN_DAYS, SqsManagedSseEnabled: true });
    expect(resourceOf(template, created.deadLetterQueue).DeletionPolicy).toBe('Retain');
  });

  test('adopted: the given queue is used as it is, and none is created', () => {
    expect(adopted.deadLetterQueue).toBe(own);
    expect(groupOf(topic, adopted).node.tryFindChild('DeadLetterQueue')).toBeUndefined();
    expectProperties(template, own, { MessageRetentionPeriod: FOUR_DAYS, KmsMasterKeyId: stack.resolve(ownKey.keyArn) });
    template.resourceCountIs('AWS::SQS::Queue', 4); // two subscribers, one created and one adopted dead-letter queue
  });

  test('both: the subscription sends what it cannot deliver there', () => {
    for (const sub of [created, adopted]) {
      expectProperties(template, sub.subscription, { RedrivePolicy: { deadLetterTargetArn: stack.resolve(sub.deadLetterQueue.queueArn) } });
    }
  });

  test('both: the queue policy lets SNS send from this topic only, in one statement', () => {
    for (const sub of [created, adopted]) {
      const sends = queueStatements(template, stack, sub.deadLetterQueue).filter(isSnsSend);
      expect(sends).toEqual([expect.objectContaining({ Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(topic.topic.topicArn) } } })]);
    }
  });

  test('adopted: its own customer-managed key lets SNS use it', () => {
    const statement = keyStatementFor(template, ownKey, 'sns.amazonaws.com');
    expect([statement.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  test('both: the depth alarm watches the queue, in the Alarms child of the subscription', () => {
    for (const sub of [created, adopted]) {
      expect(sub.deadLetterQueueAlarm).toBe(groupOf(topic, sub).node.findChild('Alarms').node.findChild('DeadLetterQueueAlarm'));
      expectProperties(template, sub.deadLetterQueueAlarm as cloudwatch.Alarm, {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: stack.resolve(sub.deadLetterQueue.queueName) }],
      });
    }
  });

  test('neither gives a warning: every policy could be set', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-bulwark:(topic|key-policy)'))).toEqual([]);
  });
});


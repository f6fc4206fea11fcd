import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ComplianceProfile, QueueWorker, SecureTopic, ServiceGrantOptions } from '../../src';
import { INLINE_CODE, newStack } from '../support/app';
import { resourceOf, stackKeyOf, statementsOf } from '../support/template';

/*
 * Every grant of the event and messaging constructs that can land in a resource policy (a topic's, a
 * queue's, a key's) scopes a service principal to the account it acts for (aws:SourceAccount) and,
 * when the caller gives one, to the resource (aws:SourceArn), and refuses principals that mean
 * everyone. EventHub.grantPutEvents writes only identity policies and refuses the rest (tested with
 * EventHub).
 *
 * The conditions follow AWS's confused-deputy guidance for resource policies
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html) and, in key policies of
 * encrypted topics that services publish to, AWS's documented statements with aws:SourceArn
 * (https://docs.aws.amazon.com/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html).
 */

const ACCOUNT = '123456789012';
const BUCKET_ARN = 'arn:aws:s3:::orders-uploads';
const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:210987654321:alarm:orders';

interface Granter {
  /** The resource whose policy admits the grantee. */
  readonly resource: () => iam.IResourceWithPolicy;
  /** The key that encrypts it. */
  readonly key: kms.IKey;
  grant(grantee: iam.IGrantable, options?: ServiceGrantOptions): iam.Grant;
}

const GRANTERS: Array<[string, string, (stack: Stack) => Granter]> = [
  ['SecureTopic.grantPublish', 'sns:Publish', (stack) => {
    const topic = new SecureTopic(stack, 'Topic');
    return { resource: () => topic.topic, key: topic.key, grant: (g, o) => topic.grantPublish(g, o) };
  }],
  ['QueueWorker.grantSendMessages', 'sqs:SendMessage', (stack) => {
    const worker = new QueueWorker(stack, 'Worker', {
      complianceProfile: ComplianceProfile.REGULATED, handlerProps: { code: INLINE_CODE, handler: 'index.handler' },
    });
    return { resource: () => worker.queue, key: stackKeyOf(stack), grant: (g, o) => worker.grantSendMessages(g, o) };
  }],
];

/** The statements of the resource's policy (topic or queue policy) that allow `action`. */
function resourceStatements(template: Template, stack: Stack, resource: iam.IResourceWithPolicy, action: string): any[] {
  const type = action.startsWith('sns') ? 'AWS::SNS::TopicPolicy' : 'AWS::SQS::QueuePolicy';
  const ref = JSON.stringify(stack.resolve((resource as any).topicArn ?? (resource as any).queueUrl));
  return Object.values(template.findResources(type))
    .filter((p) => JSON.stringify(p.Properties.Topics ?? p.Properties.Queues).includes(ref))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .filter((s: any) => s.Effect === 'Allow' && [s.Action].flat().includes(action));
}

function keyStatementsFor(template: Template, key: kms.IKey, service: string): any[] {
  return resourceOf(template, key).Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service === service);
}

describe.each(GRANTERS)('%s', (_name, action, make) => {
  test('a service principal is admitted only for this account (aws:SourceAccount), in the resource and the key policy', () => {
    const stack = newStack();
    const granter = make(stack);
    granter.grant(new iam.ServicePrincipal('s3.amazonaws.com'));
    const template = Template.fromStack(stack);
    const statements = resourceStatements(template, stack, granter.resource(), action);
    expect(statements).toHaveLength(1);
    expect(statements[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT } });
    const keyStatements = keyStatementsFor(template, granter.key, 's3.amazonaws.com');
    expect(keyStatements).toHaveLength(1);
    expect(keyStatements[0].Condition.StringEquals['aws:SourceAccount']).toBe(ACCOUNT);
    expect(keyStatements[0].Condition.StringEquals['kms:ViaService']).toMatch(/^(sns|sqs)\.eu-west-1\.amazonaws\.com$/);
  });

  test('sourceArn limits it to one resource (aws:SourceArn); an ARN without an account keeps this account', () => {
    const stack = newStack();
    const granter = make(stack);
    granter.grant(new iam.ServicePrincipal('s3.amazonaws.com'), { sourceArn: BUCKET_ARN });
    const template = Template.fromStack(stack);
    expect(resourceStatements(template, stack, granter.resource(), action)[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': BUCKET_ARN },
    });
    expect(keyStatementsFor(template, granter.key, 's3.amazonaws.com')[0].Condition.ArnLike).toEqual({ 'aws:SourceArn': BUCKET_ARN });
  });

  test('a source ARN that names an account is the account the service acts for', () => {
    const stack = newStack();
    const granter = make(stack);
    granter.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), { sourceArn: ALARM_ARN });
    const template = Template.fromStack(stack);
    expect(resourceStatements(template, stack, granter.resource(), action)[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '210987654321' },
      ArnLike: { 'aws:SourceArn': ALARM_ARN },
    });
  });

  test('sourceAccount names another account', () => {
    const stack = newStack();
    const granter = make(stack);
    granter.grant(new iam.ServicePrincipal('s3.amazonaws.com'), { sourceAccount: '111122223333' });
    const template = Template.fromStack(stack);
    expect(resourceStatements(template, stack, granter.resource(), action)[0].Condition)
      .toEqual({ StringEquals: { 'aws:SourceAccount': '111122223333' } });
  });

  test('a role of this account gets an identity policy only: the key through the service and for this resource only', () => {
    const stack = newStack();
    const granter = make(stack);
    const role = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
    expect(granter.grant(role).success).toBe(true);
    const template = Template.fromStack(stack);
    expect(resourceStatements(template, stack, granter.resource(), action)).toEqual([]);
    const keyArn = JSON.stringify(stack.resolve(granter.key.keyArn));
    const keyStatements = statementsOf(template, role).filter((st) => JSON.stringify(st.Resource) === keyArn);
    expect(keyStatements).toHaveLength(1);
    expect([keyStatements[0].Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const service = action.split(':')[0];
    const context = service === 'sns' ? 'kms:EncryptionContext:aws:sns:topicArn' : 'kms:EncryptionContext:aws:sqs:arn';
    expect(keyStatements[0].Condition).toEqual({
      StringEquals: {
        'kms:ViaService': `${service}.eu-west-1.amazonaws.com`,
        [context]: stack.resolve((granter.resource() as any).topicArn ?? (granter.resource() as any).queueArn),
      },
    });
  });

  test.each<[string, () => iam.IGrantable, ServiceGrantOptions | undefined, string]>([
    ['AnyPrincipal', () => new iam.AnyPrincipal(), undefined, 'cannot grant to everyone (AnyPrincipal()); name the principals that need it'],
    ['StarPrincipal', () => new iam.StarPrincipal(), undefined, 'cannot grant to everyone'],
    ['an ARN principal of *', () => new iam.ArnPrincipal('*'), undefined, 'cannot grant to everyone'],
    ['a wildcard role ARN', () => new iam.ArnPrincipal('arn:aws:iam::111122223333:role/*'), undefined, 'cannot grant to everyone'],
    ['sourceArn for a role', () => new iam.ArnPrincipal('arn:aws:iam::111122223333:role/app'), { sourceArn: BUCKET_ARN },
      `sourceArn is '${BUCKET_ARN}'; it applies to AWS service principals only`],
    ['sourceAccount for an account', () => new iam.AccountPrincipal('111122223333'), { sourceAccount: '111122223333' },
      'sourceAccount is \'111122223333\'; it applies to AWS service principals only'],
    ['a sourceAccount that is no account id', () => new iam.ServicePrincipal('s3.amazonaws.com'), { sourceAccount: '1234' },
      'sourceAccount is \'1234\'; it must be a 12-digit AWS account id'],
    ['a sourceArn that is no ARN', () => new iam.ServicePrincipal('s3.amazonaws.com'), { sourceArn: 'orders-uploads' },
      'sourceArn is \'orders-uploads\'; it must be an ARN (arn:partition:service:region:account:resource)'],
    ['a sourceArn of another account than sourceAccount', () => new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      { sourceArn: ALARM_ARN, sourceAccount: ACCOUNT }, `it names account 210987654321, but sourceAccount is ${ACCOUNT}; they must agree`],
    ['a service principal mixed with an account', () => new iam.CompositePrincipal(new iam.ServicePrincipal('s3.amazonaws.com'),
      new iam.AccountPrincipal('111122223333')), undefined, 'takes a service principal alone'],
  ])('refuses %s', (_case, grantee, options, message) => {
    const stack = newStack();
    const granter = make(stack);
    expect(() => granter.grant(grantee(), options)).toThrow(message);
  });
});

test('a key from elsewhere cannot admit a service principal: QueueWorker warns what its owner must allow', () => {
  const stack = newStack();
  const key = kms.Key.fromKeyArn(stack, 'Theirs', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  const dlq = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key, enforceSSL: true });
  const queue = new sqs.Queue(stack, 'Queue', {
    encryptionMasterKey: key, enforceSSL: true, visibilityTimeout: Duration.minutes(5), deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
  });
  const worker = new QueueWorker(stack, 'Worker', { queue, handlerProps: { code: INLINE_CODE, handler: 'index.handler' } });
  worker.grantSendMessages(new iam.ServicePrincipal('s3.amazonaws.com'));
  Annotations.fromStack(stack).hasWarning('/TestStack/Worker', Match.stringLikeRegexp(
    'The key TestStack/Theirs was not created in this app.*must let ServicePrincipal\\(s3.amazonaws.com\\) use kms:GenerateDataKey and kms:Decrypt through SQS.*'
    + 'cdk-bulwark:queue-worker:sender-key-policy'));
});

import { Aspects, IAspect, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as eventsources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secrets from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { IConstruct } from 'constructs';
import { ComplianceProfile, QueueWorker, SecureFunction, SecureTopic } from '../../src';
import { grantScopedKeyUse, KeyVia } from '../../src/private/stack-key';
import { FLAG_SETS, INLINE_CODE, newStack, testStack } from '../support/app';
import { escapeRegExp, expectProperties, logicalIdOf, stackKeyOf, statementsOf } from '../support/template';

const HANDLER = { code: INLINE_CODE, handler: 'index.handler' };

describe('a VPC-attached SecureFunction can reach AWS', () => {
  let stack: Stack;
  let fn: SecureFunction;
  let template: Template;
  beforeAll(() => {
    stack = testStack();
    fn = new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: ComplianceProfile.REGULATED });
    template = Template.fromStack(stack);
  });

  test('the shared network has no route to the internet', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('the function exposes its VPC to add interface endpoints', () => {
    expect(fn.vpc).toBeDefined();
    fn.vpc!.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    expect(fn.vpc!.node.tryFindChild('SecretsManager')).toBeDefined();
  });
});

describe('the dead-letter key grant is scoped to SQS and the one queue', () => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s', (profile) => {
    const stack = testStack();
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, complianceProfile: profile });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'EncryptDeadLetters',
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: stack.resolve(fn.deadLetterQueue.encryptionMasterKey!.keyArn),
          Condition: {
            StringEquals: {
              'kms:ViaService': 'sqs.eu-west-1.amazonaws.com',
              'kms:EncryptionContext:aws:sqs:arn': stack.resolve(fn.deadLetterQueue.queueArn),
            },
          },
        })]),
      },
    });
  });

  test('connections of a function outside a VPC is a clear error', () => {
    const fn = new SecureFunction(testStack(), 'Fn', HANDLER);
    expect(() => fn.connections).toThrow("SecureFunction 'TestStack/Fn': connections exist only for a function in a VPC");
  });
});

// DESIGN.md, "What good is measured by": log groups without retention, 0. CDK's custom resource that
// closes the shared network's default security group is a plain AWS::Lambda::Function that would log
// to a group Lambda creates on its first run (no retention, no key): it gets one of ours.
describe.each(Object.entries(FLAG_SETS))('every function logs to an explicit log group with a retention (%s)', (_flagSet, flags) => {
  test.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('%s SecureFunction', (profile) => {
    const stack = newStack(flags, profile);
    new SecureFunction(stack, 'Fn', HANDLER);
    const template = Template.fromStack(stack).toJSON();
    const functions = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBe(profile === ComplianceProfile.REGULATED ? 2 : 1);
    for (const fn of functions) {
      expect(fn.Properties.LoggingConfig?.LogGroup).toBeDefined();
    }
    const groups = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::Logs::LogGroup');
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  test('the default-security-group restriction logs to a retained, encrypted group of the network, created first', () => {
    const stack = newStack(flags, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'Fn', HANDLER);
    const network = stack.node.findChild('BulwarkNetwork');
    const logGroup = network.node.findChild('DefaultSecurityGroupRestrictionLogGroup') as logs.LogGroup;
    const template = Template.fromStack(stack);
    expectProperties(template, logGroup, { RetentionInDays: 365, KmsKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
    const [handler] = Object.values<any>(template.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp('default security group') },
    }));
    expect(handler.Properties.LoggingConfig).toEqual({ LogGroup: stack.resolve(logGroup.logGroupName) });
    expect(handler.DependsOn).toContain(logicalIdOf(logGroup));
  });
});

/** The interface endpoints of the template, by service name (the region's prefix dropped). */
function interfaceEndpoints(template: Template): string[] {
  return Object.values<any>(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Interface' } }))
    .map((e) => {
      const name: unknown = e.Properties.ServiceName;
      return typeof name === 'string' ? name.split('.').pop()! : JSON.stringify(name).match(/\.([a-z0-9-]+)"/g)!.pop()!.slice(1, -1);
    })
    .sort();
}

// A function in isolated subnets reaches only the services its VPC has endpoints for; any other call
// hangs until the function times out (Lambda developer guide, "Giving Lambda functions access to
// resources in an Amazon VPC", https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html, and
// "Enable internet access for VPC-connected Lambda functions"). Lambda's own work for the function (logs,
// dead letters, event source polling, environment decryption) does not go through the VPC; the X-Ray
// daemon beside the code does (X-Ray developer guide, "Using AWS X-Ray with interface VPC endpoints",
// https://docs.aws.amazon.com/xray/latest/devguide/xray-security-vpc-endpoint.html).
describe('the shared network gets the interface endpoints its functions are granted, once', () => {
  test('a function that is granted nothing: SQS (always) and X-Ray (every function traces)', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    new SecureFunction(stack, 'Fn', HANDLER);
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['sqs', 'xray']);
  });

  test('each endpoint: private DNS, in the isolated subnets, HTTPS from within the VPC only', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const network = fn.vpc as ec2.Vpc;
    const template = Template.fromStack(stack);
    const xray = network.node.findChild('XRay') as ec2.InterfaceVpcEndpoint;
    expectProperties(template, xray, {
      PrivateDnsEnabled: true,
      SubnetIds: network.isolatedSubnets.map((s) => stack.resolve(s.subnetId)),
      SecurityGroupIds: [stack.resolve((network.node.findChild('EndpointSecurityGroup') as ec2.SecurityGroup).securityGroupId)],
      PolicyDocument: Match.absent(),
    });
  });

  test.each<[string, (stack: Stack, fn: SecureFunction) => void, string[]]>([
    ['sns:Publish (SecureTopic.grantPublish)', (s, fn) => new SecureTopic(s, 'Topic').grantPublish(fn), ['sns']],
    ['events:PutEvents', (s, fn) => new events.EventBus(s, 'Bus').grantPutEventsTo(fn), ['events']],
    ['states:StartExecution', (s, fn) => stateMachine(s).grantStartExecution(fn), ['states']],
    ['states:StartSyncExecution (its own endpoint)', (s, fn) => stateMachine(s).grantStartSyncExecution(fn), ['states', 'sync-states']],
    ['states:Start* (a wildcard that covers StartSyncExecution)', (s, fn) => fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['states:Start*'], resources: [stateMachine(s).stateMachineArn],
    })), ['states', 'sync-states']],
    ['bedrock:InvokeModel (the runtime endpoint)', (_s, fn) => fn.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['bedrock:InvokeModel'], resources: ['arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-lite-v1:0'],
    })), ['bedrock-runtime']],
    ['a managed policy of yours added with role.addManagedPolicy()', (s, fn) => fn.role.addManagedPolicy(new iam.ManagedPolicy(s, 'Publish', {
      statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [new SecureTopic(s, 'Topic').topic.topicArn] })],
    })), ['sns']],
    ['secretsmanager:GetSecretValue (its key is used through Secrets Manager: no KMS endpoint)',
      (s, fn) => new secrets.Secret(s, 'Secret', { encryptionKey: new kms.Key(s, 'SecretKey') }).grantRead(fn), ['secretsmanager']],
    ['kms:Decrypt on a key, called by the code', (s, fn) => new kms.Key(s, 'DataKey').grantDecrypt(fn), ['kms']],
    ['a key used only through SQS (scoped grant)', (s, fn) => grantScopedKeyUse(fn, new kms.Key(s, 'QueueKey'), KeyVia.SQS, 'arn:aws:sqs:eu-west-1:123456789012:q'), []],
    ['s3:GetObject (the free gateway endpoint)', (s, fn) => new s3.Bucket(s, 'Bucket').grantRead(fn), []],
    ['dynamodb:GetItem (the free gateway endpoint)', (s, fn) => new dynamodb.TableV2(s, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }).grantReadData(fn), []],
    ['sqs:SendMessage (already there)', (s, fn) => new sqs.Queue(s, 'Queue').grantSendMessages(fn), []],
    ['a statement of a policy of yours attached to the role', (s, fn) => new iam.Policy(s, 'Mine', {
      roles: [fn.role], statements: [new iam.PolicyStatement({ actions: ['ssm:GetParameter'], resources: ['*'] })],
    }), ['ssm']],
  ])('%s', (_name, grant, added) => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    grant(stack, fn);
    const template = Template.fromStack(stack);
    expect(interfaceEndpoints(template)).toEqual(['sqs', 'xray', ...added].sort());
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-bulwark:function:no-endpoint'));
  });

  test('two functions granted the same service, and a second synthesis: one endpoint', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const topic = new SecureTopic(stack, 'Topic');
    topic.grantPublish(new SecureFunction(stack, 'A', HANDLER));
    topic.grantPublish(new SecureFunction(stack, 'B', HANDLER));
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['sns', 'sqs', 'xray']);
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['sns', 'sqs', 'xray']);
  });

  test('an endpoint you added yourself is not added twice (two endpoints with private DNS for one service fail to deploy)', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    fn.vpc!.addInterfaceEndpoint('MySecrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
    new secrets.Secret(stack, 'Secret').grantRead(fn);
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['secretsmanager', 'sqs', 'xray']);
    expect(fn.vpc!.node.tryFindChild('SecretsManager')).toBeUndefined();
  });

  test.each([
    ['execute-api:Invoke', 'execute-api (execute-api:Invoke): an execute-api endpoint with private DNS would send every API Gateway hostname'],
    ['iot:Publish', 'iot (iot:Publish): the library knows no endpoint for it'],
    ['bedrock:InvokeAgent', 'bedrock (bedrock:InvokeAgent): the library adds only the bedrock-runtime endpoint (model invocation)'],
  ])('%s: no endpoint, a warning says why', (action, text) => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [action], resources: ['*'] }));
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['sqs', 'xray']);
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp('cdk-bulwark:function:no-endpoint'));
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp(escapeRegExp(text)));
  });
});

describe('what the role allows, however it is attached; what Lambda does itself does not count', () => {
  test('bedrock:*: the runtime endpoint, and a warning for the actions other endpoints serve', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    fn.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['bedrock:*'], resources: ['*'] }));
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['bedrock-runtime', 'sqs', 'xray']);
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp(escapeRegExp('bedrock (bedrock:*): the library adds only')));
  });

  test('an AWS managed policy cannot be read: a warning names it', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    fn.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSNSReadOnlyAccess'));
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp(
      'managed policy arn:\\$\\{AWS::Partition\\}:iam::aws:policy/AmazonSNSReadOnlyAccess: the library cannot read what it allows.*cdk-bulwark:function:no-endpoint'));
  });

  test('a Kinesis event source and its failure destination are Lambda\'s calls: no Kinesis or SNS endpoint', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const topic = new SecureTopic(stack, 'Failures');
    fn.lambdaFunction.addEventSource(new eventsources.KinesisEventSource(new kinesis.Stream(stack, 'Stream'), {
      startingPosition: lambda.StartingPosition.LATEST, onFailure: new eventsources.SnsDlq(topic.topic),
    }));
    const template = Template.fromStack(stack);
    expect(statementsOf(template, fn.role).some((st) => [st.Action].flat().includes('kinesis:GetRecords'))).toBe(true); // the grant is there
    expect(interfaceEndpoints(template)).toEqual(['sqs', 'xray']);
  });

  test('the same actions on a resource that is not an event source still count', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    new kinesis.Stream(stack, 'Stream').grantRead(fn);
    expect(interfaceEndpoints(Template.fromStack(stack))).toEqual(['kinesis-streams', 'sqs', 'xray']);
  });

  test('reading the policies leaves them open: an aspect of yours can still add to a statement', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    const fn = new SecureFunction(stack, 'Fn', HANDLER);
    const statement = new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['arn:aws:sns:eu-west-1:123456789012:a'] });
    fn.role.addToPrincipalPolicy(statement);
    class AddResource implements IAspect {
      public visit(node: IConstruct): void {
        if (node === stack) {
          statement.addResources('arn:aws:sns:eu-west-1:123456789012:b');
        }
      }
    }
    Aspects.of(stack).add(new AddResource());
    const template = Template.fromStack(stack);
    expect(statementsOf(template, fn.role).find((st) => st.Action === 'sns:Publish')!.Resource)
      .toEqual(['arn:aws:sns:eu-west-1:123456789012:a', 'arn:aws:sns:eu-west-1:123456789012:b']);
    expect(interfaceEndpoints(template)).toEqual(['sns', 'sqs', 'xray']);
  });
});

describe('a VPC of yours with isolated subnets: a warning names the endpoints not found', () => {
  function isolatedVpc(stack: Stack): ec2.Vpc {
    return new ec2.Vpc(stack, 'Mine', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'App', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  }

  test('missing: X-Ray and a granted service', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, vpc });
    new SecureTopic(stack, 'Topic').grantPublish(fn);
    const template = Template.fromStack(stack);
    expect(interfaceEndpoints(template)).toEqual([]); // nothing is added to a VPC of yours
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp(
      `VPC TestStack/Mine .* found in this app: ${escapeRegExp('sns (sns:Publish); xray (xray:*)')}\\..*cdk-bulwark:function:vpc-endpoints`));
  });

  test('all there (yours): no warning', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('XRay', { service: ec2.InterfaceVpcEndpointAwsService.XRAY });
    vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, vpc });
    new s3.Bucket(stack, 'Bucket').grantRead(fn);
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-bulwark:function:vpc-endpoints'));
  });

  test('a QueueWorker\'s handler there: polling its queue is Lambda\'s, so only X-Ray is missing', () => {
    const stack = newStack();
    const vpc = isolatedVpc(stack);
    new QueueWorker(stack, 'Worker', { handlerProps: { ...HANDLER, vpc } });
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasWarning('/TestStack/Worker/Handler', Match.stringLikeRegexp(
      `found in this app: ${escapeRegExp('xray (xray:*)')}\\..*cdk-bulwark:function:vpc-endpoints`));
  });

  test('subnets with a route out (NAT): no warning', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'WithNat', { maxAzs: 2, natGateways: 1 });
    const fn = new SecureFunction(stack, 'Fn', { ...HANDLER, vpc });
    new SecureTopic(stack, 'Topic').grantPublish(fn);
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cdk-bulwark:function:vpc-endpoints'));
  });

  test('an imported VPC: its endpoints cannot be seen, so the warning names every service', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-12345678', availabilityZones: ['eu-west-1a', 'eu-west-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    });
    new SecureFunction(stack, 'Fn', { ...HANDLER, vpc, securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-12345678')] });
    Template.fromStack(stack);
    Annotations.fromStack(stack).hasWarning('/TestStack/Fn', Match.stringLikeRegexp(`found in this app: ${escapeRegExp('xray (xray:*)')}\\..*cdk-bulwark:function:vpc-endpoints`));
  });
});

function stateMachine(scope: Stack): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(scope, 'Pass')) });
}

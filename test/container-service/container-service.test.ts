import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { testCertificate, testImage } from './compliance-scenarios';
import { ComplianceProfile, ContainerService, ContainerServiceProps, ServiceEgress, ServiceImage } from '../../src';
import { newStack, testApp, thrownBy } from '../support/app';
import { COMPLIANCE_CONTEXT, complianceReport, lines } from '../support/compliance';
import { expectProperties, resourceOf, stackKeyOf, statementsOf } from '../support/template';

function service(stack: Stack, props: Partial<ContainerServiceProps> = {}, id = 'Admin'): ContainerService {
  return new ContainerService(stack, id, { image: testImage(stack), certificate: testCertificate(stack), ...props });
}

function containerOf(template: Template, svc: ContainerService): any {
  return resourceOf(template, svc.taskDefinition).Properties.ContainerDefinitions[0];
}

describe.each([ComplianceProfile.STANDARD, ComplianceProfile.REGULATED])('ContainerService defaults (%s)', (profile) => {
  const regulated = profile === ComplianceProfile.REGULATED;
  const stack = newStack({}, profile);
  const svc = service(stack);
  const template = Template.fromStack(stack);

  test('the network: two AZs, IPv6-only task subnets whose only way out is an egress-only internet gateway, no NAT gateway', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    const taskSubnets = svc.vpc.selectSubnets({ subnetGroupName: 'Tasks' }).subnets;
    expect(taskSubnets).toHaveLength(2);
    for (const subnet of taskSubnets) {
      const resource = resourceOf(template, subnet);
      expect(resource.Properties.CidrBlock).toBeUndefined();
      expect(resource.Properties).toMatchObject({
        Ipv6Native: true,
        AssignIpv6AddressOnCreation: true,
        MapPublicIpOnLaunch: false,
        PrivateDnsNameOptionsOnLaunch: { HostnameType: 'resource-name' },
      });
      expect(resource.Properties.Ipv6CidrBlock).toBeDefined();
      // DNS64 only helps with NAT64, which needs a NAT gateway.
      expect(resource.Properties.EnableDns64).toBeUndefined();
    }
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    const taskTables = taskSubnets.map((s) => JSON.stringify(stack.resolve(s.routeTable.routeTableId)));
    const taskRoutes = routes.filter((r: any) => taskTables.includes(JSON.stringify(r.Properties.RouteTableId)));
    expect(taskRoutes.map((r: any) => Object.keys(r.Properties).sort())).toEqual([
      ['DestinationIpv6CidrBlock', 'EgressOnlyInternetGatewayId', 'RouteTableId'], ['DestinationIpv6CidrBlock', 'EgressOnlyInternetGatewayId', 'RouteTableId'],
    ]);
  });

  test('flow logs of all traffic to a retained log group, through a role only this account\'s flow logs may assume', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', ResourceType: 'VPC', MaxAggregationInterval: 60 });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: Match.anyValue() },
        })],
      },
    });
  });

  test('the task: ARM64, 0.25 vCPU and 512 MiB, with its own execution and task roles', () => {
    expectProperties(template, svc.taskDefinition, {
      Cpu: '256',
      Memory: '512',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ExecutionRoleArn: stack.resolve(svc.executionRole.roleArn),
      TaskRoleArn: stack.resolve(svc.taskRole.roleArn),
    });
  });

  test('the container: non-root, read-only root filesystem, not privileged, every capability dropped, logs to a retained group', () => {
    const container = containerOf(template, svc);
    expect(container.User).toBe('1000');
    expect(container.ReadonlyRootFilesystem).toBe(true);
    expect(container.Privileged).toBe(false);
    expect(container.LinuxParameters).toEqual({ Capabilities: { Drop: ['ALL'] }, InitProcessEnabled: false });
    expect(container.PortMappings).toEqual([{ ContainerPort: 8080, Name: 'http', Protocol: 'tcp' }]);
    expect(container.LogConfiguration).toEqual({
      LogDriver: 'awslogs',
      Options: {
        'awslogs-group': stack.resolve(svc.logGroup.logGroupName),
        'awslogs-stream-prefix': 'container',
        'awslogs-region': 'eu-west-1',
      },
    });
    // AWS SDKs in the container call AWS's dual-stack endpoints, the only ones IPv6-only tasks reach.
    expect(container.Environment).toEqual([{ Name: 'AWS_USE_DUALSTACK_ENDPOINT', Value: 'true' }]);
    expectProperties(template, svc.logGroup, { RetentionInDays: 365 });
    expect(resourceOf(template, svc.logGroup).DeletionPolicy).toBe('Retain');
    if (regulated) {
      expectProperties(template, svc.logGroup, { KmsKeyId: stack.resolve(stackKeyOf(stack).keyArn) });
    }
  });

  test('the image comes through ECR\'s dual-stack host, and only the execution role may pull it', () => {
    // ECR user guide, "Making requests to Amazon ECR registries": dual-stack image URIs are <registry id>.dkr-ecr.<region>.on.aws.
    expect(containerOf(template, svc).Image).toBe('123456789012.dkr-ecr.eu-west-1.on.aws/admin:1.4.2');
    const pull = statementsOf(template, svc.executionRole).find((s) => [s.Action].flat().includes('ecr:BatchGetImage'));
    expect(pull?.Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecr:eu-west-1:123456789012:repository/admin']] });
    expect(statementsOf(template, svc.taskRole)).toEqual([]);
  });

  test('the task role trusts ECS tasks of this account only', () => {
    expect(resourceOf(template, svc.taskRole).Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'ecs-tasks.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': expect.anything() } },
    });
  });

  test('the service: private subnets without public IP, circuit breaker with rollback, capacity kept during deploys, no ECS Exec', () => {
    const properties = resourceOf(template, svc.service).Properties;
    expect(properties.LaunchType).toBe('FARGATE');
    expect(properties.PlatformVersion).toBe('LATEST');
    expect(properties.EnableExecuteCommand).toBe(false);
    expect(properties.DeploymentConfiguration.DeploymentCircuitBreaker).toEqual({ Enable: true, Rollback: true });
    expect(properties.DeploymentConfiguration.MinimumHealthyPercent).toBe(100);
    expect(properties.DeploymentConfiguration.MaximumPercent).toBe(200);
    expect(properties.NetworkConfiguration.AwsvpcConfiguration).toEqual({
      AssignPublicIp: 'DISABLED',
      SecurityGroups: [stack.resolve(svc.taskSecurityGroup.securityGroupId)],
      Subnets: svc.vpc.selectSubnets({ subnetGroupName: 'Tasks' }).subnetIds.map((id) => stack.resolve(id)),
    });
    expect(properties.HealthCheckGracePeriodSeconds).toBe(60);
    // Autoscaling owns the count: a DesiredCount in the template would reset a scaled-out service on every deployment.
    expect(properties.DesiredCount).toBeUndefined();
  });

  test('autoscaling from 2 to 4 tasks on CPU (60 %) and requests per task (1,000)', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 4, ScalableDimension: 'ecs:service:DesiredCount' });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 60 },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget' }, TargetValue: 1000 },
    });
  });

  test('Container Insights with enhanced observability on the created cluster', () => {
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
  });

  test('the load balancer: internet-facing, dual-stack, drops invalid headers, strictest desync mitigation, deletion protection, access logs', () => {
    const attributes = resourceOf(template, svc.loadBalancer).Properties.LoadBalancerAttributes;
    expect(resourceOf(template, svc.loadBalancer).Properties).toMatchObject({ Scheme: 'internet-facing', IpAddressType: 'dualstack' });
    expect(attributes).toEqual(expect.arrayContaining([
      { Key: 'deletion_protection.enabled', Value: 'true' },
      { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
      { Key: 'access_logs.s3.enabled', Value: 'true' },
      { Key: 'access_logs.s3.bucket', Value: stack.resolve(svc.accessLogsBucket.bucketName) },
    ]));
  });

  test('the access-log bucket: SSE-S3 (load balancers cannot use KMS), public access blocked, versioned, retained, expiring', () => {
    expectProperties(template, svc.accessLogsBucket, {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 30 } })] },
    });
    expect(resourceOf(template, svc.accessLogsBucket).DeletionPolicy).toBe('Retain');
    // eu-west-1 delivers from Elastic Load Balancing's account there (ELB user guide, "Access logs for your Application Load Balancer").
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Action: 's3:PutObject',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::156460612806:root']] } },
          })]),
      },
    });
  });

  test('HTTPS with the certificate and AWS\'s recommended TLS policy, port 80 redirected to it', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      Certificates: [{ CertificateArn: Match.stringLikeRegexp('^arn:aws:acm:eu-west-1:') }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: stack.resolve(svc.targetGroup.targetGroupArn) }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }) }],
    });
  });

  test('the target group: IPv6 IP targets, a health check on /, 30 s deregistration delay', () => {
    expectProperties(template, svc.targetGroup, {
      TargetType: 'ip',
      IpAddressType: 'ipv6',
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckPath: '/',
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200-399' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
  });

  test('security groups: the listener ports from anywhere (IPv4 and IPv6) to the load balancer, only the load balancer to the tasks', () => {
    const lb = resourceOf(template, svc.loadBalancerSecurityGroup).Properties;
    expect(lb.SecurityGroupIngress.map((r: any) => `${r.CidrIp ?? r.CidrIpv6}:${r.FromPort}-${r.ToPort}`).sort())
      .toEqual(['0.0.0.0/0:443-443', '0.0.0.0/0:80-80', '::/0:443-443', '::/0:80-80']);
    // No egress of its own but to the tasks, on their port.
    expect(lb.SecurityGroupEgress).toBeUndefined();
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .filter((r: any) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(stack.resolve(svc.loadBalancerSecurityGroup.securityGroupId)));
    expect(egress.map((r: any) => r.Properties)).toEqual([{
      GroupId: stack.resolve(svc.loadBalancerSecurityGroup.securityGroupId),
      DestinationSecurityGroupId: stack.resolve(svc.taskSecurityGroup.securityGroupId),
      FromPort: 8080,
      ToPort: 8080,
      IpProtocol: 'tcp',
      Description: expect.any(String),
    }]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: stack.resolve(svc.taskSecurityGroup.securityGroupId),
      SourceSecurityGroupId: stack.resolve(svc.loadBalancerSecurityGroup.securityGroupId),
      FromPort: 8080,
      ToPort: 8080,
      IpProtocol: 'tcp',
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((r: any) => JSON.stringify(r.Properties.GroupId) === JSON.stringify(stack.resolve(svc.taskSecurityGroup.securityGroupId)));
    expect(ingress).toHaveLength(1);
    expect(resourceOf(template, svc.taskSecurityGroup).Properties.SecurityGroupIngress).toBeUndefined();
  });

  test('a web ACL associated with the load balancer', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: stack.resolve(svc.loadBalancer.loadBalancerArn), WebACLArn: stack.resolve(svc.webAcl!.attrArn),
    });
    expect(stack.resolve(svc.webAclArn)).toEqual(stack.resolve(svc.webAcl!.attrArn));
  });

  test('eight alarms, every one with an action, and a dashboard section', () => {
    expect(svc.alarms).toHaveLength(8);
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const ours = Object.values(alarms).filter((a: any) => String(a.Properties.AlarmDescription).includes('Admin'));
    expect(ours).toHaveLength(8);
    for (const alarm of ours) {
      expect((alarm as any).Properties.AlarmActions).toHaveLength(1);
    }
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0].Properties.DashboardBody);
    expect(body).toContain('Container service TestStack/Admin');
    expect(body).toContain('CPU and memory (%)');
  });

  test('no warning: a version tag, HTTPS and the firewall', () => {
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-bulwark:container-service'))).toEqual([]);
  });
});

describe('ContainerService alarms', () => {
  const stack = newStack();
  const svc = service(stack, {
    alarms: { cpuUtilization: { threshold: 70 }, healthyTargets: { threshold: 2 }, targetServerErrors: { enabled: false } },
  });
  const template = Template.fromStack(stack);
  const alarm = (id: string) => resourceOf(template, svc.node.findChild('Alarms').node.findChild(id)).Properties;

  test('CPU and memory compare above their percent; the CPU threshold is the one given', () => {
    expect(alarm('CpuUtilizationAlarm')).toMatchObject({
      Threshold: 70,
      ComparisonOperator: 'GreaterThanThreshold',
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/ECS',
      Statistic: 'Average',
      EvaluationPeriods: 5,
    });
    expect(alarm('MemoryUtilizationAlarm')).toMatchObject({ Threshold: 80, MetricName: 'MemoryUtilization' });
  });

  test('missing tasks: desired minus running from Container Insights; no data breaches', () => {
    const props = alarm('RunningTasksAlarm');
    expect(props).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching' });
    expect(props.Metrics[0]).toMatchObject({ Expression: 'desired - running' });
    expect(props.Metrics.slice(1).map((m: any) => `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName}`).sort())
      .toEqual(['ECS/ContainerInsights/DesiredTaskCount', 'ECS/ContainerInsights/RunningTaskCount']);
  });

  test('healthy targets compare below (the threshold given), unhealthy ones above', () => {
    expect(alarm('HealthyTargetsAlarm')).toMatchObject({
      Threshold: 2,
      ComparisonOperator: 'LessThanThreshold',
      MetricName: 'HealthyHostCount',
      Statistic: 'Minimum',
      TreatMissingData: 'breaching',
    });
    expect(alarm('UnhealthyTargetsAlarm')).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      TreatMissingData: 'notBreaching',
    });
  });

  test('the response time alarm compares milliseconds; a disabled alarm is not made', () => {
    const props = alarm('TargetResponseTimeP90Alarm');
    expect(props).toMatchObject({ Threshold: 1000, ComparisonOperator: 'GreaterThanThreshold' });
    expect(props.Metrics[0]).toMatchObject({ Expression: '1000 * responseTime' });
    expect(props.Metrics[1].MetricStat).toMatchObject({ Stat: 'p90', Metric: { MetricName: 'TargetResponseTime' } });
    expect(svc.node.findChild('Alarms').node.tryFindChild('TargetServerErrorsAlarm')).toBeUndefined();
    expect(alarm('LoadBalancerServerErrorsAlarm')).toMatchObject({ MetricName: 'HTTPCode_ELB_5XX_Count', Statistic: 'Sum', Threshold: 0 });
  });
});

describe('ContainerService options', () => {
  test('egress NAT_GATEWAY_PER_AZ: IPv4 tasks behind two NAT gateways, S3 through the free gateway endpoint, an IPv4 load balancer', () => {
    const stack = newStack();
    const svc = service(stack, { egress: ServiceEgress.NAT_GATEWAY_PER_AZ });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
    expectProperties(template, svc.targetGroup, { IpAddressType: 'ipv4' });
    expect(resourceOf(template, svc.loadBalancer).Properties.IpAddressType).toBe('ipv4');
    expect(containerOf(template, svc).Environment).toBeUndefined();
    // The regular ECR host: CDK's ECR image.
    expect(JSON.stringify(containerOf(template, svc).Image)).toContain('.dkr.ecr.eu-west-1.');
  });

  test('egress SINGLE_NAT_GATEWAY: one NAT gateway', () => {
    const stack = newStack();
    service(stack, { egress: ServiceEgress.SINGLE_NAT_GATEWAY });
    Template.fromStack(stack).resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('egress VPC_ENDPOINTS: isolated subnets with ECR, Logs and the endpoints the container needs; no NAT, no internet route for tasks', () => {
    const stack = newStack();
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf');
    const svc = service(stack, { egress: ServiceEgress.VPC_ENDPOINTS, secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret) } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const services = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e: any) => JSON.stringify(e.Properties.ServiceName));
    for (const name of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager', 's3']) {
      expect(services.some((s) => s.includes(`.${name}`))).toBe(true);
    }
    expect(services.some((s) => s.includes('.ssm'))).toBe(false);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    // The task subnets' route tables hold no route at all (the S3 gateway endpoint adds prefix-list routes to them only through its RouteTableIds).
    const taskTables = svc.vpc.selectSubnets({ subnetGroupName: 'Tasks' }).subnets.map((sub) => JSON.stringify(stack.resolve(sub.routeTable.routeTableId)));
    const routes = Object.values(template.findResources('AWS::EC2::Route')).filter((r: any) => taskTables.includes(JSON.stringify(r.Properties.RouteTableId)));
    expect(routes).toEqual([]);
  });

  test('internal: the load balancer in isolated dual-stack subnets, reachable from the VPC only, without public subnets', () => {
    const stack = newStack();
    const svc = service(stack, { internetFacing: false });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, svc.loadBalancer).Properties).toMatchObject({ Scheme: 'internal', IpAddressType: 'dualstack' });
    expect(resourceOf(template, svc.loadBalancer).Properties.Subnets)
      .toEqual(svc.vpc.selectSubnets({ subnetGroupName: 'LoadBalancer' }).subnetIds.map((id) => stack.resolve(id)));
    expect(svc.vpc.selectSubnets({ subnetGroupName: 'LoadBalancer' }).subnetIds).toHaveLength(2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    const lb = resourceOf(template, svc.loadBalancerSecurityGroup).Properties;
    const ipv6Range = { 'Fn::Select': [0, stack.resolve((svc.vpc as ec2.Vpc).vpcIpv6CidrBlocks)] };
    expect(lb.SecurityGroupIngress.map((r: any) => `${JSON.stringify(r.CidrIp ?? r.CidrIpv6)}:${r.FromPort}`)).toEqual([
      '"10.0.0.0/16":443', '"10.0.0.0/16":80', `${JSON.stringify(ipv6Range)}:443`, `${JSON.stringify(ipv6Range)}:80`,
    ]);
  });

  test('without certificate: HTTP on port 80 and the http-only warning (STANDARD)', () => {
    const stack = newStack();
    const svc = new ContainerService(stack, 'Admin', { image: testImage(stack) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP', DefaultActions: [Match.objectLike({ Type: 'forward' })] });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    expect(svc.url).toMatch(/^http:\/\//);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cdk-bulwark:container-service:http-only'))).toHaveLength(1);
  });

  test('sizes, architecture, Spot share, port, user, command, writable paths, health checks and capacity as given', () => {
    const stack = newStack();
    const svc = service(stack, {
      cpu: 1024,
      memory: Size.gibibytes(3),
      architecture: ecs.CpuArchitecture.X86_64,
      fargateSpotShare: 30,
      containerPort: 3000,
      user: 'app',
      command: ['node', 'server.js'],
      writablePaths: ['/tmp', '/app/cache'],
      containerHealthCheck: { command: ['CMD', '/healthcheck'], interval: Duration.seconds(10), retries: 2 },
      healthCheck: { path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(10), timeout: Duration.seconds(3), gracePeriod: Duration.seconds(20) },
      minCapacity: 3,
      maxCapacity: 9,
      targetCpuUtilization: 40,
      targetRequestsPerTask: 200,
      deregistrationDelay: Duration.seconds(5),
      egress: ServiceEgress.SINGLE_NAT_GATEWAY,
      enableExecuteCommand: true,
    });
    const template = Template.fromStack(stack);
    expectProperties(template, svc.taskDefinition, {
      Cpu: '1024',
      Memory: '3072',
      RuntimePlatform: { CpuArchitecture: 'X86_64' },
      // ECS Exec's agent writes to two more volumes (the root filesystem is read-only).
      Volumes: [{ Name: 'writable-0' }, { Name: 'writable-1' }, { Name: 'exec-agent-0' }, { Name: 'exec-agent-1' }],
    });
    expect(containerOf(template, svc)).toMatchObject({
      User: 'app',
      Command: ['node', 'server.js'],
      PortMappings: [{ ContainerPort: 3000 }],
      MountPoints: [
        { ContainerPath: '/tmp', SourceVolume: 'writable-0', ReadOnly: false }, { ContainerPath: '/app/cache', SourceVolume: 'writable-1', ReadOnly: false },
        { ContainerPath: '/var/lib/amazon/ssm', SourceVolume: 'exec-agent-0', ReadOnly: false },
        { ContainerPath: '/var/log/amazon/ssm', SourceVolume: 'exec-agent-1', ReadOnly: false },
      ],
      HealthCheck: { Command: ['CMD', '/healthcheck'], Interval: 10, Retries: 2 },
      LinuxParameters: { InitProcessEnabled: true, Capabilities: { Drop: ['ALL'] } },
    });
    expect(resourceOf(template, svc.service).Properties).toMatchObject({
      CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 1, Weight: 70 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 30 }],
      EnableExecuteCommand: true,
      HealthCheckGracePeriodSeconds: 20,
    });
    template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { CapacityProviders: Match.arrayWith(['FARGATE', 'FARGATE_SPOT']) });
    expectProperties(template, svc.targetGroup, { Port: 3000, HealthCheckPath: '/health', Matcher: { HttpCode: '200' }, HealthCheckTimeoutSeconds: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 9 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 40 },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }), TargetValue: 200 },
    });
    expectProperties(template, svc.targetGroup, { TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }]) });
  });

  test('environment variables are set, and a name that looks like a credential warns', () => {
    const stack = newStack();
    const svc = service(stack, { environment: { LOG_LEVEL: 'info', DB_PASSWORD: 'x', STRIPE_API_KEY: 'y' } });
    expect(containerOf(Template.fromStack(stack), svc).Environment).toEqual(expect.arrayContaining([
      { Name: 'AWS_USE_DUALSTACK_ENDPOINT', Value: 'true' }, { Name: 'LOG_LEVEL', Value: 'info' },
    ]));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('secret-in-environment'));
    expect(warnings.map((w) => String(w.entry.data).match(/variable (\w+)/)?.[1]).sort()).toEqual(['DB_PASSWORD', 'STRIPE_API_KEY']);
  });

  test('images: digest, an untagged one warns, a registry image with credentials, an IPv4-only registry is refused under IPv6_ONLY', () => {
    const stack = newStack();
    const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'web');
    const digest = `sha256:${'b'.repeat(64)}`;
    const pinned = service(stack, { image: ServiceImage.fromEcrRepository(repository, { digest }) }, 'Pinned');
    service(stack, { image: ServiceImage.fromEcrRepository(repository) }, 'Untagged');
    const credentials = secretsmanager.Secret.fromSecretCompleteArn(stack, 'Creds', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:hub-AbCdEf');
    const hub = service(stack, { image: ServiceImage.fromRegistry('example/private-app:2.0', { credentials }) }, 'Hub');
    const template = Template.fromStack(stack);
    expect(JSON.stringify(containerOf(template, pinned).Image)).toContain(`web@${digest}`);
    expect(containerOf(template, hub)).toMatchObject({ Image: 'example/private-app:2.0', RepositoryCredentials: { CredentialsParameter: credentials.secretArn } });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('mutable-image'));
    expect(warnings.map((w) => w.id)).toEqual(['/TestStack/Untagged']);
    expect(String(thrownBy(() => service(newStack(), { image: ServiceImage.fromRegistry('ghcr.io/acme/app:1') }))))
      .toMatch(/image is 'ghcr.io\/acme\/app:1'; egress is ServiceEgress.IPV6_ONLY .* ghcr.io answers only over IPv4/);
    const quay = newStack();
    service(quay, { image: ServiceImage.fromRegistry('quay.io/acme/app:1') });
    expect(Annotations.fromStack(quay).findWarning('*', Match.stringLikeRegexp('registry-unverified'))).toHaveLength(1);
  });
});

describe('ContainerService deploy-time traps', () => {
  test('the service waits for the cluster\'s Fargate Spot association (ECS refuses a strategy with providers not yet associated)', () => {
    // ECS API reference, CapacityProviderStrategyItem: the capacity provider must already be associated with the cluster.
    const stack = newStack();
    const svc = service(stack, { architecture: ecs.CpuArchitecture.X86_64, fargateSpotShare: 50 });
    const template = Template.fromStack(stack);
    const associations = svc.node.findChild('CapacityProviders') as ecs.CfnClusterCapacityProviderAssociations;
    expect(resourceOf(template, svc.service).DependsOn).toContain(stack.getLogicalId(associations));
    expect(resourceOf(template, associations).Properties.CapacityProviders).toEqual(['FARGATE', 'FARGATE_SPOT']);
  });

  test('VPC_ENDPOINTS: a secret created in the stack (a Ref, no ARN to read) still gets the Secrets Manager endpoint; an SSM parameter the SSM one', () => {
    const stack = newStack();
    const secret = new secretsmanager.Secret(stack, 'Db');
    const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'P', { parameterName: '/app/token' });
    service(stack, {
      egress: ServiceEgress.VPC_ENDPOINTS,
      secrets: { DB: ecs.Secret.fromSecretsManager(secret), TOKEN: ecs.Secret.fromSsmParameter(parameter) },
    });
    const services = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).map((e: any) => JSON.stringify(e.Properties.ServiceName));
    expect(services.filter((name) => name.includes('.secretsmanager'))).toHaveLength(1);
    expect(services.filter((name) => name.includes('.ssm"') || name.endsWith('.ssm'))).toHaveLength(1);
  });

  test('ECS Exec (with NAT): session channels in a policy of their own, session logs only to the container\'s log group, agent paths writable', () => {
    const stack = newStack();
    const svc = service(stack, { egress: ServiceEgress.SINGLE_NAT_GATEWAY, enableExecuteCommand: true });
    const template = Template.fromStack(stack);
    expect(resourceOf(template, svc.service).Properties.EnableExecuteCommand).toBe(true);
    const statements = statementsOf(template, svc.taskRole);
    const channels = statements.find((st) => [st.Action].flat().includes('ssmmessages:OpenDataChannel'));
    expect(channels?.Resource).toBe('*');
    const logs = statements.find((st) => [st.Action].flat().includes('logs:PutLogEvents'));
    expect(logs?.Resource).toEqual(stack.resolve(svc.logGroup.logGroupArn));
    expect(statements.filter((st) => st.Resource === '*').flatMap((st) => [st.Action].flat()).sort()).toEqual(['logs:DescribeLogGroups',
      'ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: { Logging: 'OVERRIDE', LogConfiguration: { CloudWatchLogGroupName: stack.resolve(svc.logGroup.logGroupName) } },
      },
    });
  });

  test('the acknowledgement of the library\'s own environment variable goes away when a container gets one of yours later', () => {
    const reportFor = (addMore: boolean) => {
      const app = new App({ context: COMPLIANCE_CONTEXT });
      const stack = new Stack(app, 'TestStack', { env: { account: '123456789012', region: 'eu-west-1' } });
      const svc = service(stack);
      if (addMore) {
        svc.container.addEnvironment('FEATURE_FLAGS', 'beta');
      }
      return lines(complianceReport(app).findings).filter((line) => line.startsWith('AwsSolutions-ECS2'));
    };
    expect(reportFor(false)).toEqual([]);
    expect(reportFor(true)).toEqual(['AwsSolutions-ECS2 @ Admin/TaskDefinition/Resource']);
  });

  test('the ECR token (no resource-level permission) is in a policy of its own: grants added later are not covered by its acknowledgement', () => {
    const stack = newStack();
    const svc = service(stack);
    svc.executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const template = Template.fromStack(stack);
    const token = resourceOf(template, svc.node.findChild('PullTokenPolicy'));
    expect(token.Properties.PolicyDocument.Statement).toEqual([{ Action: 'ecr:GetAuthorizationToken', Effect: 'Allow', Resource: '*' }]);
  });
});

describe('ContainerService brought resources', () => {
  test('provided VPC is used (tasks in its private subnets, no VPC created); created otherwise', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2, natGateways: 1 });
    const svc = service(stack, { vpc });
    expect(svc.vpc).toBe(vpc);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    const subnets = resourceOf(template, svc.service).Properties.NetworkConfiguration.AwsvpcConfiguration.Subnets;
    expect(subnets).toEqual(vpc.privateSubnets.map((s) => stack.resolve(s.subnetId)));
    expect(svc.node.tryFindChild('Network')).toBeUndefined();
  });

  test('provided cluster is used (with its VPC) and warns that it needs Container Insights', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const svc = service(stack, { cluster });
    expect(svc.cluster).toBe(cluster);
    expect(svc.vpc).toBe(vpc);
    Template.fromStack(stack).resourceCountIs('AWS::ECS::Cluster', 1);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cluster-settings'))).toHaveLength(1);
  });

  test('provided access-log bucket is used (no bucket created); an imported one warns about its policy', () => {
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const svc = service(stack, { accessLogsBucket: bucket });
    expect(svc.accessLogsBucket).toBe(bucket);
    expect(svc.node.tryFindChild('AccessLogs')).toBeUndefined();
    const imported = newStack();
    service(imported, { accessLogsBucket: s3.Bucket.fromBucketName(imported, 'Logs', 'central-logs') });
    expect(Annotations.fromStack(imported).findWarning('*', Match.stringLikeRegexp('access-logs-bucket'))).toHaveLength(1);
  });

  test('provided key encrypts the log group', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const svc = service(stack, { key });
    expectProperties(Template.fromStack(stack), svc.logGroup, { KmsKeyId: stack.resolve(key.keyArn) });
  });

  test('brought web ACL is associated, none created', () => {
    const stack = newStack();
    const arn = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/shared/11111111-2222-3333-4444-555555555555';
    const svc = service(stack, { firewall: { webAclArn: arn } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: arn, ResourceArn: stack.resolve(svc.loadBalancer.loadBalancerArn) });
  });
});

describe('two services in one stack', () => {
  const attribute = (template: Template, svc: ContainerService, key: string) =>
    resourceOf(template, svc.loadBalancer).Properties.LoadBalancerAttributes.find((a: { Key: string }) => a.Key === key).Value;

  test('each with its own VPC: separate networks, log groups, access-log prefixes and web ACL metrics', () => {
    const stack = newStack();
    const a = service(stack, {}, 'A');
    const b = service(stack, { internetFacing: false }, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ECS::Service', 2);
    template.resourceCountIs('AWS::EC2::VPC', 2);
    expect(stack.resolve(a.logGroup.logGroupName)).not.toEqual(stack.resolve(b.logGroup.logGroupName));
    expect(attribute(template, a, 'access_logs.s3.prefix')).not.toEqual(attribute(template, b, 'access_logs.s3.prefix'));
    const metricNames = Object.values(template.findResources('AWS::WAFv2::WebACL')).map((w: any) => w.Properties.VisibilityConfig.MetricName);
    expect(new Set(metricNames).size).toBe(2);
  });

  test('sharing a brought VPC, cluster and access-log bucket: one VPC and cluster, prefixes of their own in the bucket', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Shared', { maxAzs: 2, natGateways: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
    const bucket = new s3.Bucket(stack, 'Logs', { encryption: s3.BucketEncryption.S3_MANAGED });
    const a = service(stack, { cluster, accessLogsBucket: bucket }, 'A');
    const b = service(stack, { cluster, accessLogsBucket: bucket }, 'B');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::ECS::Service', 2);
    expect(attribute(template, a, 'access_logs.s3.bucket')).toEqual(attribute(template, b, 'access_logs.s3.bucket'));
    expect(attribute(template, a, 'access_logs.s3.prefix')).not.toEqual(attribute(template, b, 'access_logs.s3.prefix'));
  });
});

describe('ContainerService invalid input', () => {
  const cases: Array<[string, (stack: Stack) => Partial<ContainerServiceProps>, RegExp]> = [
    ['cpu not Fargate\'s', () => ({ cpu: 300 }), /cpu is 300; it must be one of Fargate's CPU values .*256: 512, 1024, 2048/],
    ['memory not allowed with the cpu', () => ({ cpu: 512, memory: Size.mebibytes(512) }), /memory is 512 MiB; Fargate does not allow it with cpu 512; MiB allowed per cpu: .*512: 1024 to 4096 in steps of 1024/],
    ['cpu whose memory default is not allowed', () => ({ cpu: 2048 }), /cpu is 2048 and memory is left at its default of 512 MiB/],
    ['port 0', () => ({ containerPort: 0 }), /containerPort is 0; it must be an integer from 1 to 65535/],
    ['port 70000', () => ({ containerPort: 70000 }), /containerPort is 70000; it must be an integer from 1 to 65535/],
    ['min above max', () => ({ minCapacity: 5, maxCapacity: 3 }), /minCapacity \(5\) is greater than maxCapacity \(3\)/],
    ['min above the default max', () => ({ minCapacity: 6 }), /minCapacity is 6 but maxCapacity is left at its default of 4/],
    ['min 0', () => ({ minCapacity: 0 }), /minCapacity is 0; it must be an integer from 1 to 5000/],
    ['Spot with ARM64', () => ({ fargateSpotShare: 50 }), /fargateSpotShare is 50 but architecture is ARM64 \(the default\); Fargate Spot runs only X86_64 tasks/],
    ['Spot share over 100', () => ({ fargateSpotShare: 150, architecture: ecs.CpuArchitecture.X86_64 }), /fargateSpotShare is 150; it must be an integer from 0 to 100/],
    ['root user', () => ({ user: '0:0' }), /user is '0:0'; containers run as a non-root user/],
    ['root by name', () => ({ user: 'root' }), /user is 'root'; containers run as a non-root user/],
    ['target health check interval too short', () => ({ healthCheck: { interval: Duration.seconds(2) } }), /healthCheck.interval is 2 seconds; it must be a whole number of seconds from 5 seconds to 5 minutes/],
    ['target health check timeout not below interval', () => ({ healthCheck: { interval: Duration.seconds(10), timeout: Duration.seconds(10) } }), /healthCheck.timeout \(10 seconds\) must be shorter than healthCheck.interval \(10 seconds\)/],
    ['health check threshold 1', () => ({ healthCheck: { unhealthyThresholdCount: 1 } }), /healthCheck.unhealthyThresholdCount is 1; it must be an integer from 2 to 10/],
    ['health check path without /', () => ({ healthCheck: { path: 'health' } }), /healthCheck.path is 'health'; it must start with \//],
    ['health check codes', () => ({ healthCheck: { healthyHttpCodes: '600' } }), /healthCheck.healthyHttpCodes is '600'/],
    ['container check retries', () => ({ containerHealthCheck: { command: ['CMD', 'x'], retries: 11 } }), /containerHealthCheck.retries is 11; it must be an integer from 1 to 10/],
    ['container check command', () => ({ containerHealthCheck: { command: ['curl', 'x'] } }), /containerHealthCheck.command is \["curl","x"\]; it must start with CMD/],
    ['unknown prop', () => ({ cpus: 256 } as never), /cpus/],
    ['sslPolicy without certificate', () => ({ certificate: undefined, sslPolicy: elbv2.SslPolicy.TLS13_13 }), /sslPolicy is 'ELBSecurityPolicy-TLS13-1-3-2021-06'; it applies to the HTTPS listener/],
    ['vpc and egress', (stack) => ({ vpc: new ec2.Vpc(stack, 'V'), egress: ServiceEgress.SINGLE_NAT_GATEWAY }), /vpc and egress cannot be set together/],
    ['ECS Exec in IPv6-only subnets', () => ({ enableExecuteCommand: true }), /enableExecuteCommand is true but egress is ServiceEgress.IPV6_ONLY \(the default\), where ECS Exec is not supported/],
    ['writable path relative', () => ({ writablePaths: ['tmp'] }), /writablePaths is 'tmp'; each must be an absolute path/],
    ['writable path twice', () => ({ writablePaths: ['/tmp', '/tmp/'] }), /writablePaths is '\/tmp\/'; it is listed twice/],
    ['environment value not a string', () => ({ environment: { PORT: 8080 as never } }), /environment.PORT is 8080; it must be a string/],
    ['secret not an ecs.Secret', () => ({ secrets: { DB: 'arn:aws:secretsmanager:...' as never } }), /secrets.DB is 'arn:aws:secretsmanager:...'; it must be an ecs.Secret/],
    ['certificate of another region', (stack) => ({ certificate: testCertificate(new Stack(stack.node.root as App, 'Other', { env: { region: 'us-east-1', account: '123456789012' } })) }),
      /certificate is .*it is in us-east-1, but this stack deploys to eu-west-1/],
    ['image tag and digest', (stack) => ({ image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'R', 'x'), { tag: '1', digest: `sha256:${'c'.repeat(64)}` }) }),
      /image tag and image digest cannot be set together/],
    ['image digest malformed', (stack) => ({ image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'R', 'x'), { digest: 'sha256:abc' }) }),
      /image digest is 'sha256:abc'; it must be `sha256:` followed by 64 lowercase hex digits/],
    ['registry image malformed', () => ({ image: ServiceImage.fromRegistry('Not A Name') }), /image is 'Not A Name'; it must be an image name/],
    ['image missing', () => ({ image: undefined as never }), /image is required/],
    ['image repository not a repository', () => ({ image: ServiceImage.fromEcrRepository({} as never, { tag: '1' }) }),
      /image repository is \{\}; it must be an ECR repository/],
    ['registry credentials not a secret', () => ({ image: ServiceImage.fromRegistry('nginx:1.27', { credentials: {} as never }) }),
      /image credentials is \{\}; it must be a Secrets Manager secret/],
    ['vpc not a VPC', () => ({ vpc: {} as never }), /vpc is \{\}; it must be a VPC \(ec2.IVpc\)/],
    ['cluster not a cluster', () => ({ cluster: 'prod' as never }), /cluster is 'prod'; it must be an ECS cluster/],
    ['key not a key', () => ({ key: {} as never }), /key is \{\}; it must be a KMS key/],
    ['access-log bucket not a bucket', () => ({ accessLogsBucket: {} as never }), /accessLogsBucket is \{\}; it must be an S3 bucket/],
    // From JavaScript or Python, where ClusterAttributes' vpc can be left out.
    ['cluster imported without its VPC', (stack) => ({
      cluster: ecs.Cluster.fromClusterAttributes(stack, 'C',
        { clusterName: 'prod', securityGroups: [] } as unknown as ecs.ClusterAttributes),
    }),
    /cluster 'TestStack\/C' was imported without its VPC; give vpc too/],
    ['access-log bucket with S3-managed KMS', (stack) => ({ accessLogsBucket: new s3.Bucket(stack, 'KmsManaged', { encryption: s3.BucketEncryption.KMS_MANAGED }) }),
      /accessLogsBucket is 'TestStack\/KmsManaged'; it is encrypted with KMS/],
    ['access-log bucket of another region', (stack) => ({ accessLogsBucket: s3.Bucket.fromBucketAttributes(stack, 'Far', { bucketName: 'far', region: 'us-east-1' }) }),
      /accessLogsBucket is 'TestStack\/Far'; it is in us-east-1, but this stack deploys to eu-west-1/],
    ['the dual-stack variable overridden in IPv6-only subnets', () => ({ environment: { AWS_USE_DUALSTACK_ENDPOINT: 'false' } }),
      /environment key is 'AWS_USE_DUALSTACK_ENDPOINT'; the tasks run in IPv6-only subnets/],
    ['writable path repeated after normalization', () => ({ writablePaths: ['/tmp', '/tmp/.'] }), /writablePaths is '\/tmp\/.'; it is listed twice \(as \/tmp\)/],
    ['writable path that is the root', () => ({ writablePaths: ['//'] }), /writablePaths is '\/\/'; each must be an absolute path below \//],
    ['user with spaces', () => ({ user: '1000 ' }), /user is '1000 '; it must be a user name or uid/],
    ['container check without an executable', () => ({ containerHealthCheck: { command: ['CMD'] } }), /containerHealthCheck.command is \["CMD"\]; it must start with CMD/],
    ['KMS-encrypted access-log bucket', (stack) => ({ accessLogsBucket: new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS }) }),
      /accessLogsBucket is 'TestStack\/Kms'; it is encrypted with KMS, and load balancers write access logs only to buckets encrypted with SSE-S3/],
    ['VPC without private subnets with egress', (stack) => ({
      vpc: new ec2.Vpc(stack, 'Isolated', {
        natGateways: 0,
        subnetConfiguration: [{ name: 'Public', subnetType: ec2.SubnetType.PUBLIC }, { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      }),
    }),
    /vpc 'TestStack\/Isolated' has no private \(with egress\) subnets for the tasks/],
    ['registry image with VPC_ENDPOINTS', () => ({ image: ServiceImage.fromRegistry('nginx:1.27'), egress: ServiceEgress.VPC_ENDPOINTS }),
      /image is 'nginx:1.27'; egress is ServiceEgress.VPC_ENDPOINTS, so tasks reach only ECR/],
    ['repository of another region with VPC_ENDPOINTS', (stack) => ({
      egress: ServiceEgress.VPC_ENDPOINTS,
      image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryArn(stack, 'R', 'arn:aws:ecr:us-east-1:123456789012:repository/x'), { tag: '1' }),
    }),
    /the repository is in us-east-1, and with egress ServiceEgress.VPC_ENDPOINTS tasks reach only the ECR endpoints of eu-west-1/],
    ["ECR's IPv4 host by name in IPv6-only subnets", () => ({ image: ServiceImage.fromRegistry('123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1') }),
      /answers only over IPv4, so tasks could not pull it: give the repository with ServiceImage.fromEcrRepository/],
    ["ECR Public's IPv4 host in IPv6-only subnets", () => ({ image: ServiceImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27') }),
      /use ECR Public's dual-stack host instead: ecr-public.aws.com/],
    ['alarm percent 100', () => ({ alarms: { cpuUtilization: { threshold: 100 } } }), /alarms.cpuUtilization.threshold is 100; it is a percentage/],
  ];

  test.each(cases)('%s', (_name, props, message) => {
    const stack = newStack();
    const error = thrownBy(() => service(stack, props(stack)));
    expect(error).toBeInstanceOf(Error);
    expect(String(error)).toMatch(/ContainerService 'TestStack\/Admin': /);
    expect(String(error)).toMatch(message);
  });

  test('a stack without a region is refused clearly (access logs need one)', () => {
    const stack = new Stack(testApp(), 'Agnostic');
    expect(String(thrownBy(() => new ContainerService(stack, 'Admin', { image: ServiceImage.fromRegistry('nginx:1.27') }))))
      .toMatch(/ContainerService 'Agnostic\/Admin': the stack has no region .*give the stack env: \{ region: ... \}/);
  });

  test('REGULATED refuses a service without certificate', () => {
    const stack = newStack({}, ComplianceProfile.REGULATED);
    expect(String(thrownBy(() => new ContainerService(stack, 'Admin', { image: testImage(stack) }))))
      .toMatch(/certificate is required in the REGULATED profile/);
  });
});

test('a stack in another partition with the IPv6-only default and an ECR image is refused: ECR has no dual-stack hosts there', () => {
  const stack = new Stack(testApp(), 'China', { env: { account: '123456789012', region: 'cn-north-1' } });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repo', 'admin');
  expect(String(thrownBy(() => new ContainerService(stack, 'Admin', { image: ServiceImage.fromEcrRepository(repository, { tag: '1' }) }))))
    .toMatch(/ContainerService 'China\/Admin': image is 'China\/Repo'; egress is ServiceEgress.IPV6_ONLY \(the default\), .* not aws-cn/);
  const natStack = new Stack(testApp(), 'ChinaNat', { env: { account: '123456789012', region: 'cn-north-1' } });
  const nat = new ContainerService(natStack, 'Admin', {
    image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(natStack, 'Repo', 'admin'), { tag: '1' }),
    egress: ServiceEgress.SINGLE_NAT_GATEWAY,
  });
  expect(JSON.stringify(Template.fromStack(natStack).toJSON())).toContain('.dkr.ecr.cn-north-1.');
  expect(nat.service).toBeDefined();
});

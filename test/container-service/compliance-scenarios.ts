import { Duration, Size, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { ComplianceProfile, ContainerService, Monitoring, ServiceEgress, ServiceImage } from '../../src';
import { ComplianceScenario } from '../support/compliance';

const NO_SUBSCRIBERS = 'cdk-bulwark:monitoring:no-subscribers @ BulwarkMonitoring';

/** A certificate of the test stack's region. */
export function testCertificate(stack: Stack): acm.ICertificate {
  return stack.node.tryFindChild('Certificate') as acm.ICertificate | undefined
    ?? acm.Certificate.fromCertificateArn(stack, 'Certificate', `arn:aws:acm:${stack.region}:${stack.account}:certificate/11111111-2222-3333-4444-555555555555`);
}

/** An ECR image by version tag. */
export function testImage(stack: Stack): ServiceImage {
  const repository = stack.node.tryFindChild('Repository') as ecr.IRepository | undefined ?? ecr.Repository.fromRepositoryName(stack, 'Repository', 'admin');
  return ServiceImage.fromEcrRepository(repository, { tag: '1.4.2' });
}

/** Prop sets every profile is checked with. */
export const SCENARIOS: Record<string, ComplianceScenario> = {
  minimal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new ContainerService(stack, 'Svc', { complianceProfile: profile, image: testImage(stack), certificate: testCertificate(stack) });
    },
  },
  internal: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new ContainerService(stack, 'Svc', { complianceProfile: profile, image: testImage(stack), certificate: testCertificate(stack), internetFacing: false });
    },
  },
  natGateways: {
    warnings: [NO_SUBSCRIBERS],
    build: (stack, profile) => {
      new ContainerService(stack, 'Svc', {
        complianceProfile: profile, image: testImage(stack), certificate: testCertificate(stack), egress: ServiceEgress.NAT_GATEWAY_PER_AZ,
      });
    },
  },
  maximal: {
    warnings: [],
    build: (stack, profile) => {
      const monitoring = new Monitoring(stack, 'Monitoring', { complianceProfile: profile, emailAddresses: ['oncall@example.com'] });
      const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'DbSecret',
        `arn:aws:secretsmanager:${stack.region}:${stack.account}:secret:db-AbCdEf`);
      const parameter = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'ApiParameter', { parameterName: '/admin/api' });
      new ContainerService(stack, 'Svc', {
        complianceProfile: profile,
        monitoring,
        image: ServiceImage.fromEcrRepository(ecr.Repository.fromRepositoryName(stack, 'Repository', 'admin'),
          { digest: `sha256:${'a'.repeat(64)}` }),
        certificate: testCertificate(stack),
        egress: ServiceEgress.VPC_ENDPOINTS,
        internetFacing: false,
        containerPort: 3000,
        cpu: 1024,
        memory: Size.gibibytes(2),
        architecture: ecs.CpuArchitecture.X86_64,
        fargateSpotShare: 50,
        user: '1001:1001',
        command: ['node', 'server.js'],
        secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password'), API_TOKEN: ecs.Secret.fromSsmParameter(parameter) },
        writablePaths: ['/tmp', '/app/cache'],
        containerHealthCheck: { command: ['CMD', '/app/healthcheck'], interval: Duration.seconds(15), retries: 2 },
        healthCheck: { path: '/health', healthyHttpCodes: '200', interval: Duration.seconds(10), gracePeriod: Duration.seconds(30) },
        logRetention: logs.RetentionDays.THREE_MONTHS,
        minCapacity: 3,
        maxCapacity: 10,
        targetCpuUtilization: 50,
        targetRequestsPerTask: 500,
        enableExecuteCommand: true,
        deregistrationDelay: Duration.seconds(10),
        firewall: { rateLimit: 500 },
        alarms: { cpuUtilization: { threshold: 70 }, targetServerErrors: { enabled: false } },
      });
    },
  },
  /**
   * A user who opts into plain HTTP, a plain environment variable and no firewall: each finding a
   * pack has a rule for stays visible, and each choice warns.
   */
  openedUp: {
    warnings: [NO_SUBSCRIBERS, 'cdk-bulwark:container-service:http-only @ Svc', 'cdk-bulwark:container-service:no-firewall @ Svc',
      'cdk-bulwark:container-service:secret-in-environment @ Svc'],
    profiles: [ComplianceProfile.STANDARD],
    userFindings: () => ['AwsSolutions-ECS2 @ Svc/TaskDefinition/Resource'],
    build: (stack, profile) => {
      new ContainerService(stack, 'Svc', {
        complianceProfile: profile,
        image: testImage(stack),
        environment: { LOG_LEVEL: 'debug', SESSION_SECRET: 'not-a-secret' },
        firewall: { enabled: false },
      });
    },
  },
};

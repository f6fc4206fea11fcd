import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { AlarmSet, AlarmSink, AlarmSpec } from './alarm-set';
import { LAMBDA_CONTEXT, LAMBDA_DEFAULTS } from './defaults/lambda';
import { contextWholeNumber } from './reserved-concurrency';
import { stackKey } from './stack-key';
import { shortPath } from './validation';
import { ComplianceProfile, CompliancePolicy } from '../core/compliance-profile';
import { BulwarkError } from '../core/errors';

/**
 * What a profile changes, in one table. Every construct reads its traits from here instead of
 * testing `profile === REGULATED` itself.
 */
export interface ProfileTraits {
  /** Created queues, log groups, function environments, buses and archives use the stack's customer-managed key. */
  readonly customerManagedKeys: boolean;
  /** Functions run in a VPC (the stack's shared network unless one is given). */
  readonly vpcFunctions: boolean;
  /** Functions reserve this much concurrency unless told otherwise (or an event source needs more). */
  readonly reservedConcurrency?: number;
  /** Roles get customer-managed policies instead of CDK's inline default policy (HIPAA, NIST and PCI flag inline policies). */
  readonly managedPolicies: boolean;
  /** Cognito user pools use the Plus plan with threat protection enforced. */
  readonly threatProtection: boolean;
}

/** The profiles' traits (DESIGN.md, Compliance). */
export const PROFILE_TRAITS: Readonly<Record<ComplianceProfile, ProfileTraits>> = {
  [ComplianceProfile.STANDARD]: {
    customerManagedKeys: false,
    vpcFunctions: false,
    reservedConcurrency: undefined,
    managedPolicies: false,
    threatProtection: false,
  },
  [ComplianceProfile.REGULATED]: {
    customerManagedKeys: true,
    vpcFunctions: true,
    reservedConcurrency: LAMBDA_DEFAULTS.regulatedReservedConcurrency,
    managedPolicies: true,
    threatProtection: true,
  },
};

/**
 * The traits of `profile` where `scope` is, with what the user's context changes: the reservation
 * REGULATED gives each function that sets none (context `cdk-bulwark:reservedConcurrency`, a whole
 * number; 0 reserves none), for an account whose concurrency quota cannot spare 10 per function.
 */
export function profileTraits(scope: IConstruct, profile: ComplianceProfile): ProfileTraits {
  const traits = PROFILE_TRAITS[profile];
  const given: unknown = scope.node.tryGetContext(LAMBDA_CONTEXT.reservedConcurrency);
  if (traits.reservedConcurrency === undefined || given === undefined) {
    return traits;
  }
  const value = contextWholeNumber(given);
  if (value === undefined || value < 0 || value > 100000) {
    throw BulwarkError.invalid(scope, `context ${LAMBDA_CONTEXT.reservedConcurrency}`, given,
      'it must be a whole number from 0 (reserve none) to 100000: the concurrency REGULATED reserves for each function that sets none');
  }
  return { ...traits, reservedConcurrency: value === 0 ? undefined : value };
}

/** What a monitored construct sends its alarms and dashboard section to (`IMonitoring`, structurally). */
export interface MonitoringSink extends AlarmSink {
  addSection(title: string, ...widgets: cloudwatch.IWidget[]): void;
}

/** The props every monitored construct takes (`MonitoredConstructProps`). */
export interface ContextProps {
  readonly complianceProfile?: ComplianceProfile;
  readonly monitoring?: MonitoringSink;
}

/**
 * A construct's resolved context: its profile and traits, its monitoring and its key, resolved
 * once. Nothing is created until asked for: the stack key and the stack's Monitoring appear on
 * first use, so that a construct that needs neither leaves no trace of them.
 */
export class ConstructContext {
  public readonly profile: ComplianceProfile;
  public readonly traits: ProfileTraits;
  private monitoringSink?: MonitoringSink;

  /**
   * @param scope the construct
   * @param props its props
   * @param defaultMonitoring the stack's monitoring, when the props give none (`Monitoring.of`)
   */
  constructor(private readonly scope: Construct, private readonly props: ContextProps,
    private readonly defaultMonitoring: (scope: Construct) => MonitoringSink) {
    this.profile = CompliancePolicy.resolve(scope, props.complianceProfile);
    this.traits = profileTraits(scope, this.profile);
  }

  /** The traits of another profile where this construct is (a created handler with a profile of its own). */
  public traitsFor(profile: ComplianceProfile): ProfileTraits {
    return profileTraits(this.scope, profile);
  }

  public get regulated(): boolean {
    return this.profile === ComplianceProfile.REGULATED;
  }

  /** The monitoring given in the props, else the stack's (created on first use). */
  public get monitoring(): MonitoringSink {
    this.monitoringSink ??= this.props.monitoring ?? this.defaultMonitoring(this.scope);
    return this.monitoringSink;
  }

  /** The stack's customer-managed key (created on first use). */
  public stackKey(): kms.IKey {
    return stackKey(this.scope);
  }

  /** `given`, else the stack key when the profile wants customer-managed keys, else none (AWS-owned keys). */
  public key(given?: kms.IKey): kms.IKey | undefined {
    return given ?? (this.traits.customerManagedKeys ? this.stackKey() : undefined);
  }

  /**
   * The construct's alarm set: every option of `given` validated now, before any resource exists.
   * The monitoring is resolved right after (the stack's Monitoring is created here on first use), so
   * that its alarm topic's key statement precedes the construct's own resources, in every construct.
   */
  public alarms(specs: ReadonlyArray<AlarmSpec<any>>, given: unknown, typeName: string, prop?: string): AlarmSet {
    const set = new AlarmSet(this.scope, () => this.monitoring, specs, given, { typeName, prop });
    void this.monitoring;
    return set;
  }

  /** Adds the construct's dashboard section, titled with its kind and path. */
  public addSection(kind: string, ...widgets: cloudwatch.IWidget[]): void {
    this.monitoring.addSection(`${kind} ${shortPath(this.scope)}`, ...widgets);
  }
}

import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { ServerlessDatabaseProps } from './serverless-database-props';
import { BulwarkError } from '../core/errors';
import { checkDataKey } from '../private/api-environment';
import { RDS_DEFAULTS, RDS_LIMITS } from '../private/defaults/rds';
import { checkKnownProps, propKeys } from '../private/props';
import { checkSecurityGroups, checkShape, SHAPES } from '../private/shapes';
import { checkBoolean, checkDuration, checkInteger, checkRemovalPolicy, checkRetention } from '../private/validation';

// Internal to the library: every check of ServerlessDatabase's input, run before anything is made.

const PROPS = propKeys<ServerlessDatabaseProps>()('ServerlessDatabaseProps', ['vpc', 'vpcSubnets', 'securityGroups', 'engineVersion',
  'minCapacity', 'maxCapacity', 'autoPauseAfter', 'readers', 'defaultDatabaseName', 'masterUsername', 'enableDataApi', 'backupRetention',
  'key', 'logRetention', 'monitoringInterval', 'performanceInsights', 'deletionProtection', 'removalPolicy', 'alarms', 'complianceProfile',
  'monitoring']);

/** A version as major and minor numbers (`17.5` → [17, 5]); undefined for a token or an unknown form. */
export function versionOf(props: ServerlessDatabaseProps): readonly [number, number] | undefined {
  const full = (props.engineVersion ?? RDS_DEFAULTS.engineVersion).auroraPostgresFullVersion;
  const match = Token.isUnresolved(full) ? null : /^(\d+)\.(\d+)/.exec(full);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/** Whether `version` is at least the first minor of its major in `since` (later majors always are). */
function supports(version: readonly [number, number], since: Record<number, number>): boolean {
  const majors = Object.keys(since).map(Number);
  const [major, minor] = version;
  if (major > Math.max(...majors)) {
    return true;
  }
  return since[major] !== undefined && minor >= since[major];
}

function minorsOf(since: Record<number, number>): string {
  return Object.entries(since).map(([major, minor]) => `${major}.${minor}`).join(', ');
}

/** Validates the props of `ServerlessDatabase`. */
export function validateServerlessDatabaseProps(scope: Construct, props: ServerlessDatabaseProps): void {
  if (props === null || typeof props !== 'object') {
    throw BulwarkError.invalid(scope, 'props', props, 'they must be a ServerlessDatabaseProps object, or left out for the defaults');
  }
  checkKnownProps(scope, props, PROPS);
  checkShape(scope, 'vpc', props.vpc, SHAPES.vpc);
  checkSecurityGroups(scope, 'securityGroups', props.securityGroups, 'it must be a non-empty list of security groups (ec2.ISecurityGroup), '
    + 'or left out for one created here');
  if (props.vpcSubnets !== undefined && props.vpc === undefined) {
    throw BulwarkError.invalid(scope, 'vpcSubnets', props.vpcSubnets, 'it selects subnets of vpc, which is not given (the stack\'s shared '
      + 'network has isolated subnets only); give vpc too, or leave vpcSubnets out');
  }
  const engine = props.engineVersion;
  if (engine !== undefined && (engine === null || typeof engine !== 'object' || typeof engine.auroraPostgresFullVersion !== 'string')) {
    throw BulwarkError.invalid(scope, 'engineVersion', engine, 'it must be an rds.AuroraPostgresEngineVersion (for example '
      + 'rds.AuroraPostgresEngineVersion.VER_17_5)');
  }
  checkCapacities(scope, props);
  checkDuration(scope, 'autoPauseAfter', props.autoPauseAfter, RDS_LIMITS.minAutoPause, RDS_LIMITS.maxAutoPause);
  checkInteger(scope, 'readers', props.readers, 0, RDS_LIMITS.maxReaders);
  checkIdentifier(scope, 'defaultDatabaseName', props.defaultDatabaseName);
  checkIdentifier(scope, 'masterUsername', props.masterUsername);
  if (typeof props.masterUsername === 'string' && (RDS_LIMITS.reservedUsernames as readonly string[]).includes(props.masterUsername.toLowerCase())) {
    throw BulwarkError.invalid(scope, 'masterUsername', props.masterUsername, 'it is a reserved word of PostgreSQL; choose another');
  }
  if (typeof props.masterUsername === 'string' && /^rds/i.test(props.masterUsername)) {
    throw BulwarkError.invalid(scope, 'masterUsername', props.masterUsername, 'names starting with \'rds\' are reserved by RDS '
      + '(rdsadmin, rds_superuser...); choose another');
  }
  checkBoolean(scope, 'enableDataApi', props.enableDataApi);
  checkDuration(scope, 'backupRetention', props.backupRetention, RDS_LIMITS.minBackupRetention, RDS_LIMITS.maxBackupRetention);
  if (props.backupRetention !== undefined && !props.backupRetention.isUnresolved() && !Number.isInteger(props.backupRetention.toHours() / 24)) {
    throw BulwarkError.invalid(scope, 'backupRetention', props.backupRetention, 'Aurora keeps backups for whole days; give Duration.days(n)');
  }
  checkDataKey(scope, 'key', props.key, 'Aurora');
  checkRetention(scope, 'logRetention', props.logRetention);
  checkMonitoringInterval(scope, props.monitoringInterval);
  checkBoolean(scope, 'performanceInsights', props.performanceInsights);
  checkBoolean(scope, 'deletionProtection', props.deletionProtection);
  checkRemovalPolicy(scope, props.removalPolicy);
  if (props.removalPolicy === RemovalPolicy.DESTROY && props.deletionProtection !== false) {
    throw BulwarkError.invalid(scope, 'removalPolicy', props.removalPolicy, 'deleting the cluster and its data without a final snapshot needs '
      + 'deletionProtection: false as well (with deletion protection on, RDS refuses the deletion and the stack deletion fails); or keep '
      + 'SNAPSHOT');
  }
  checkVersionFeatures(scope, props);
}

function checkCapacities(scope: Construct, props: ServerlessDatabaseProps): void {
  const check = (prop: string, value: unknown, min: number) => {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > RDS_LIMITS.maxCapacity
      || !Number.isInteger(value / RDS_LIMITS.capacityStep)) {
      throw BulwarkError.invalid(scope, prop, value, `it must be from ${min} to ${RDS_LIMITS.maxCapacity} ACUs in steps of ${RDS_LIMITS.capacityStep}`);
    }
  };
  check('minCapacity', props.minCapacity, 0);
  check('maxCapacity', props.maxCapacity, RDS_LIMITS.minMaxCapacity);
  const min = props.minCapacity ?? RDS_DEFAULTS.minCapacity;
  const max = props.maxCapacity ?? RDS_DEFAULTS.maxCapacity;
  if (!Token.isUnresolved(min) && !Token.isUnresolved(max) && min > max) {
    throw BulwarkError.invalid(scope, 'minCapacity', min, `it is above maxCapacity (${max}); give a minCapacity at most maxCapacity`);
  }
  if (Token.isUnresolved(min) || Token.isUnresolved(max)) {
    // The connections and memory thresholds follow the capacities: without numbers, they are yours to give.
    for (const alarm of ['databaseConnections', 'freeableMemory'] as const) {
      const given = props.alarms?.[alarm];
      if (given?.enabled !== false && given?.threshold === undefined) {
        throw BulwarkError.invalid(scope, `alarms.${alarm}`, given, 'minCapacity or maxCapacity is a token, so its default threshold (which '
          + 'follows the capacities) cannot be computed; give a threshold, or enabled: false');
      }
    }
  }
  if (props.autoPauseAfter !== undefined && min !== 0 && !Token.isUnresolved(min)) {
    throw BulwarkError.invalid(scope, 'autoPauseAfter', props.autoPauseAfter, 'only a database with minCapacity 0 pauses, and minCapacity '
      + `is ${min}; leave autoPauseAfter out, or set minCapacity: 0`);
  }
}

function checkIdentifier(scope: Construct, prop: string, value: unknown): void {
  if (value === undefined || Token.isUnresolved(value)) {
    return;
  }
  if (typeof value !== 'string' || !RDS_LIMITS.identifier.test(value)) {
    throw BulwarkError.invalid(scope, prop, value, 'it must be 1 to 63 letters, digits or \'_\', starting with a letter');
  }
}

function checkMonitoringInterval(scope: Construct, interval: unknown): void {
  if (interval === undefined) {
    return;
  }
  if (!(interval instanceof Duration)) {
    throw BulwarkError.invalid(scope, 'monitoringInterval', interval, 'it must be a Duration');
  }
  if (interval.isUnresolved()) {
    return;
  }
  const seconds = interval.toSeconds({ integral: false });
  if (!(RDS_LIMITS.monitoringIntervals as readonly number[]).includes(seconds)) {
    throw BulwarkError.invalid(scope, 'monitoringInterval', interval, `it must be ${RDS_LIMITS.monitoringIntervals.filter((s) => s > 0)
      .join(', ')} seconds, or 0 to turn enhanced monitoring off`);
  }
}

/** Scale to zero and the Data API need recent enough versions (a version given as a token passes). */
function checkVersionFeatures(scope: Construct, props: ServerlessDatabaseProps): void {
  const version = versionOf(props);
  if (version === undefined) {
    return;
  }
  const shown = version.join('.');
  const min = props.minCapacity ?? RDS_DEFAULTS.minCapacity;
  if (min === 0 && !supports(version, RDS_LIMITS.autoPauseSince)) {
    throw BulwarkError.invalid(scope, 'minCapacity', 0, `Aurora PostgreSQL ${shown} cannot scale to zero (it needs `
      + `${minorsOf(RDS_LIMITS.autoPauseSince)} or later of its major version); choose a later engineVersion, or give minCapacity 0.5 or more`);
  }
  if (props.enableDataApi === true && !supports(version, RDS_LIMITS.dataApiSince)) {
    throw BulwarkError.invalid(scope, 'enableDataApi', true, `Aurora PostgreSQL ${shown} has no Data API for Serverless v2 (it needs `
      + `${minorsOf(RDS_LIMITS.dataApiSince)} or later of its major version); choose a later engineVersion`);
  }
}

/** The subnets of `vpc` the database runs in; refused unless they span two AZs (an Aurora subnet group needs them). */
export function databaseSubnets(scope: Construct, vpc: ec2.IVpc, selection: ec2.SubnetSelection | undefined): ec2.SubnetSelection {
  const chosen = selection ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  if (chosen.subnetType === ec2.SubnetType.PUBLIC) {
    throw BulwarkError.invalid(scope, 'vpcSubnets', chosen, 'a database belongs in private subnets, out of the internet\'s routes; select '
      + 'PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets');
  }
  let zones: string[];
  try {
    zones = vpc.selectSubnets(chosen).availabilityZones;
  } catch (e) {
    throw new BulwarkError(scope, `${selection ? 'vpcSubnets select' : 'vpc has no isolated subnets to select'} (${(e as Error).message}); `
      + 'give vpcSubnets that select private subnets in two AZs');
  }
  if (new Set(zones).size < 2) {
    throw new BulwarkError(scope, `${selection ? 'vpcSubnets select' : 'the isolated subnets of vpc are in'} ${new Set(zones).size} `
      + 'availability zone(s); Aurora needs subnets in at least two: give vpcSubnets that select private subnets in two AZs');
  }
  return chosen;
}

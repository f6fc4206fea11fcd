import * as logs from 'aws-cdk-lib/aws-logs';

/** Defaults for every log group the library creates. */
export const LOGS_DEFAULTS = {
  /** One year: what HIPAA and PCI DSS audits usually ask for; override to pay less. */
  retention: logs.RetentionDays.ONE_YEAR,
} as const;

import { AcknowledgementClass, KnownFinding } from './acknowledgements';

/**
 * Acknowledgement catalog entries of UserDirectory (Cognito), in the shape of `KNOWN_FINDINGS`;
 * to be merged into that catalog.
 */
export const COGNITO_FINDINGS = {
  /**
   * AwsSolutions-COG8 asks for the Plus feature plan (threat protection: compromised-credential
   * and adaptive authentication checks). It is priced per monthly active user: STANDARD
   * acknowledges it, REGULATED turns it on.
   */
  plusFeaturePlan: {
    rules: ['AwsSolutions-COG8'],
    class: AcknowledgementClass.PRICED_FEATURE,
    reason: 'The Plus feature plan with threat protection is billed per monthly active user on top of Essentials; '
      + 'set threatProtection: true on the UserDirectory to turn it on (the REGULATED profile does).',
  },
} satisfies Record<string, KnownFinding>;

/**
 * Who sets API Gateway's account-level CloudWatch Logs role, which execution logging needs. It is
 * one setting per account and region, shared by every REST and WebSocket API there (`SecureApi`, `SecureWebSocketApi`).
 */
export enum ApiCloudWatchRole {
  /**
   * This stack sets it: a role with a customer-managed policy and the `AWS::ApiGateway::Account`
   * setting, made once per app and environment and retained when the stack is deleted. It replaces
   * a role set before (by the console, another stack or CDK's own `cloudWatchRole`), so the
   * construct warns (acknowledgeably). Deploys in a fresh account.
   */
  CREATE = 'CREATE',
  /**
   * The account already has one (set by a platform team, a landing zone or another stack). Nothing
   * is made; in an account without it, the stage fails to deploy ("CloudWatch Logs role ARN must
   * be set in account settings to enable logging").
   */
  EXISTING = 'EXISTING',
}

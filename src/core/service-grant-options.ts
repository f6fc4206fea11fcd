/**
 * Which resource an AWS service acts for when it is granted access through a resource policy
 * (`grantPublish(new iam.ServicePrincipal('s3.amazonaws.com'), ...)`). Every statement for a
 * service principal names the account the service acts for (`aws:SourceAccount`), so that the
 * service cannot be made to act for someone else's resources (the confused-deputy problem);
 * `sourceArn` narrows it to one resource.
 */
export interface ServiceGrantOptions {
  /**
   * The ARN of the resource the service acts for (an S3 bucket, a CloudWatch alarm, an EventBridge
   * rule, ...): the statement then holds only for it (`aws:SourceArn`, matched with `ArnLike`, so
   * `*` wildcards are allowed). For service principals only.
   *
   * @default - any resource of `sourceAccount`
   */
  readonly sourceArn?: string;

  /**
   * The 12-digit account whose resources the service acts for (`aws:SourceAccount`). For service
   * principals only.
   *
   * @default - this stack's account
   */
  readonly sourceAccount?: string;
}

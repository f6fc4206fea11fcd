import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

/** Options of `ServiceImage.fromEcrRepository()`: give a tag or a digest, not both. */
export interface EcrImageOptions {
  /**
   * The image tag (`1.4.2`). A tag can be moved to another image; a digest cannot.
   *
   * @default - `latest`, with the warning `cdk-bulwark:container-service:mutable-image`
   */
  readonly tag?: string;

  /**
   * The image digest (`sha256:` and 64 hex digits): every task runs exactly this image.
   *
   * @default - the tag
   */
  readonly digest?: string;
}

/** Options of `ServiceImage.fromRegistry()`. */
export interface RegistryImageOptions {
  /**
   * A Secrets Manager secret with the registry's credentials (JSON `{"username": ..., "password": ...}`),
   * for a private registry. The task execution role may read it.
   *
   * @default - the registry is public
   */
  readonly credentials?: secretsmanager.ISecret;
}

/**
 * The image a `ContainerService` runs: from an ECR repository (pulled with the task execution
 * role's permission) or from another registry, by tag or by digest.
 */
export class ServiceImage {
  /**
   * An image in an ECR repository.
   *
   * @param repository the repository
   * @param options the tag or digest
   */
  public static fromEcrRepository(repository: ecr.IRepository, options: EcrImageOptions = {}): ServiceImage {
    return new ServiceImage(repository, undefined, options.tag, options.digest, undefined);
  }

  /**
   * An image from a registry other than a private ECR repository of yours (`public.ecr.aws/nginx/nginx:1.27`),
   * by its full name with a tag (`:1.27`) or a digest (`@sha256:...`).
   *
   * @param name the image name, as `docker pull` takes it
   * @param options the credentials of a private registry
   */
  public static fromRegistry(name: string, options: RegistryImageOptions = {}): ServiceImage {
    return new ServiceImage(undefined, name, undefined, undefined, options.credentials);
  }

  /**
   * The ECR repository.
   *
   * @default - none for an image from another registry
   */
  public readonly repository?: ecr.IRepository;

  /**
   * The image name in another registry.
   *
   * @default - none for an ECR image
   */
  public readonly imageName?: string;

  /**
   * The tag of the ECR image.
   *
   * @default - none
   */
  public readonly tag?: string;

  /**
   * The digest of the ECR image.
   *
   * @default - none
   */
  public readonly digest?: string;

  /**
   * The registry credentials.
   *
   * @default - none
   */
  public readonly credentials?: secretsmanager.ISecret;

  private constructor(repository: ecr.IRepository | undefined, imageName: string | undefined, tag: string | undefined, digest: string | undefined,
    credentials: secretsmanager.ISecret | undefined) {
    this.repository = repository;
    this.imageName = imageName;
    this.tag = tag;
    this.digest = digest;
    this.credentials = credentials;
  }
}

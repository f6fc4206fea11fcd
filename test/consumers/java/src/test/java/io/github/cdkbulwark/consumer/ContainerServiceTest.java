package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import io.github.cdkbulwark.ContainerHealthCheckOptions;
import io.github.cdkbulwark.ContainerService;
import io.github.cdkbulwark.ContainerServiceAlarmsProps;
import io.github.cdkbulwark.ContainerServiceProps;
import io.github.cdkbulwark.EcrImageOptions;
import io.github.cdkbulwark.RegistryImageOptions;
import io.github.cdkbulwark.ServiceEgress;
import io.github.cdkbulwark.ServiceImage;
import io.github.cdkbulwark.TargetHealthCheckOptions;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.certificatemanager.ICertificate;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.Secret;
import software.amazon.awscdk.services.ssm.StringParameter;

/**
 * ContainerService from Java: ServiceImage from an ECR repository with the EcrImageOptions builder and
 * from a registry with RegistryImageOptions, the ServiceEgress enum, the health-check and alarm
 * builders, a map of ecs.Secret, a list of writable paths, and a combination the constructor rejects.
 */
class ContainerServiceTest {
    private static final String CERTIFICATE = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";

    private static ContainerService service;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Services");
        IRepository repository = Repository.fromRepositoryName(checked.stack, "Images", "admin");
        ICertificate certificate = Certificate.fromCertificateArn(checked.stack, "Certificate", CERTIFICATE);
        service = ContainerService.Builder.create(checked.stack, "Admin")
                .image(ServiceImage.fromEcrRepository(repository, EcrImageOptions.builder().tag("1.4.2").build()))
                .certificate(certificate)
                .egress(ServiceEgress.SINGLE_NAT_GATEWAY)
                .architecture(CpuArchitecture.X86_64)
                .fargateSpotShare(50)
                .cpu(512)
                .memory(Size.gibibytes(1))
                .secrets(Map.of("API_TOKEN", Secret.fromSsmParameter(
                        StringParameter.fromSecureStringParameterAttributes(checked.stack, "Token",
                                software.amazon.awscdk.services.ssm.SecureStringParameterAttributes.builder().parameterName("/admin/token").build()))))
                .writablePaths(List.of("/tmp"))
                .containerHealthCheck(ContainerHealthCheckOptions.builder().command(List.of("CMD", "/healthcheck")).build())
                .healthCheck(TargetHealthCheckOptions.builder().path("/health").interval(Duration.seconds(15)).build())
                .alarms(ContainerServiceAlarmsProps.builder().memoryUtilization(ThresholdAlarmOptions.builder().threshold(90).build()).build())
                .build();
        template = checked.synth();
    }

    @Test
    void synthesizesWithNoFinding() {
        template.resourceCountIs("AWS::ECS::Service", 1);
        template.resourceCountIs("AWS::EC2::NatGateway", 1);
        assertEquals(8, service.getAlarms().size());
        assertTrue(service.getUrl().startsWith("https://"));
    }

    @Test
    void structsEnumsAndFactoriesCrossTheBoundary() {
        ServiceImage image = ServiceImage.fromRegistry("nginx:1.27", RegistryImageOptions.builder().build());
        assertEquals("nginx:1.27", image.getImageName());
        assertEquals(ServiceEgress.IPV6_ONLY, ServiceEgress.valueOf("IPV6_ONLY"));
        assertEquals(image, ContainerServiceProps.builder().image(image).build().getImage());
    }

    @Test
    void spotWithArm64IsRefusedWithThePath() {
        Support.Checked checked = new Support.Checked("ServiceErrors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> ContainerService.Builder.create(checked.stack, "Bad")
                .image(ServiceImage.fromRegistry("nginx:1.27"))
                .fargateSpotShare(20)
                .build());
        assertTrue(error.getMessage().contains("ContainerService 'ServiceErrors/Bad': fargateSpotShare is 20 but architecture is ARM64"),
                error.getMessage());
    }
}

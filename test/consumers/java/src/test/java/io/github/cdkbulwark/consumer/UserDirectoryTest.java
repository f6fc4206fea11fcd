package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.UserDirectory;
import io.github.cdkbulwark.UserDirectoryAlarmsProps;
import io.github.cdkbulwark.UserDirectoryClientKind;
import io.github.cdkbulwark.UserDirectoryClientOptions;
import io.github.cdkbulwark.UserDirectoryGroupOptions;
import io.github.cdkbulwark.UserDirectoryMfa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.UserPool;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;

/**
 * UserDirectory from Java: the UserDirectoryMfa and UserDirectoryClientKind enums, Durations, an alarm
 * struct, addGroup and addClient (with aws-cdk-lib OAuth scopes in a list), getters that hand back lists
 * of aws-cdk-lib constructs, and a metric method that takes a construct.
 */
class UserDirectoryTest {
    private static UserDirectory users;
    private static UserPoolGroup auditors;
    private static UserPoolClient web;
    private static UserPoolClient backend;
    private static Template template;

    @BeforeAll
    static void build() {
        Support.Checked checked = new Support.Checked("Shop");
        users = UserDirectory.Builder.create(checked.stack, "Users")
                .mfa(UserDirectoryMfa.REQUIRED)
                .passwordMinLength(16)
                .temporaryPasswordValidity(Duration.days(1))
                .domainPrefix("example-shop-login")
                .groups(List.of("admins"))
                .alarms(UserDirectoryAlarmsProps.builder().signInThrottles(ThresholdAlarmOptions.builder().threshold(5).build()).build())
                .build();
        auditors = users.addGroup("auditors", UserDirectoryGroupOptions.builder()
                .description("Read-only access to the audit trail").precedence(10).build());
        web = users.addClient("Web", UserDirectoryClientOptions.builder()
                .kind(UserDirectoryClientKind.PUBLIC_CLIENT)
                .callbackUrls(List.of("https://shop.example.com/callback"))
                .accessTokenValidity(Duration.minutes(15))
                .build());
        ResourceServerScope read = ResourceServerScope.Builder.create().scopeName("read").scopeDescription("Read orders").build();
        UserPoolResourceServer server = users.getUserPool().addResourceServer("OrdersApi",
                UserPoolResourceServerOptions.builder().identifier("orders").scopes(List.of(read)).build());
        backend = users.addClient("Backend", UserDirectoryClientOptions.builder()
                .kind(UserDirectoryClientKind.CONFIDENTIAL_CLIENT)
                .clientCredentialsScopes(List.of(OAuthScope.resourceServer(server, read)))
                .build());
        template = checked.synth();
    }

    /** Synthesized with the STANDARD packs registered: a finding would have failed synthesis. */
    @Test
    void synthesizesAUserPoolThatRequiresMfaAndNoFinding() {
        template.hasResourceProperties("AWS::Cognito::UserPool", Map.of("MfaConfiguration", "ON"));
    }

    @Test
    void groupsClientsAndGetters() {
        assertTrue(users.getUserPool() instanceof UserPool);
        assertEquals(FeaturePlan.ESSENTIALS, users.getFeaturePlan());
        assertNotNull(users.getDomain());
        assertEquals(List.of("admins", "auditors"), users.getGroups().stream().map(g -> g.getNode().getId()).collect(Collectors.toList()));
        assertEquals(auditors.getNode().getPath(), users.getGroups().get(1).getNode().getPath());
        assertEquals(List.of(web.getNode().getPath(), backend.getNode().getPath()),
                users.getClients().stream().map(c -> c.getNode().getPath()).collect(Collectors.toList()));
        assertEquals(2, users.getAlarms().size()); // per signing-in client: the web client's
        assertEquals("SignInSuccesses", users.metricSignInSuccesses(web).getMetricName());
    }
}

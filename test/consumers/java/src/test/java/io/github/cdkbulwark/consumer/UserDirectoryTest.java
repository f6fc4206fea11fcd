package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.github.cdkbulwark.ApiAuthorization;
import io.github.cdkbulwark.ApiCloudWatchRole;
import io.github.cdkbulwark.ApiMethod;
import io.github.cdkbulwark.ApiRoute;
import io.github.cdkbulwark.ApiRouteOptions;
import io.github.cdkbulwark.CognitoApiAuthorizationOptions;
import io.github.cdkbulwark.ComplianceChecks;
import io.github.cdkbulwark.CompliancePolicy;
import io.github.cdkbulwark.ComplianceProfile;
import io.github.cdkbulwark.Monitoring;
import io.github.cdkbulwark.SecureApi;
import io.github.cdkbulwark.SecureFunction;
import io.github.cdkbulwark.ThresholdAlarmOptions;
import io.github.cdkbulwark.UserDirectory;
import io.github.cdkbulwark.UserDirectoryAlarmsProps;
import io.github.cdkbulwark.UserDirectoryClientKind;
import io.github.cdkbulwark.UserDirectoryClientOptions;
import io.github.cdkbulwark.UserDirectoryGroupOptions;
import io.github.cdkbulwark.UserDirectoryMfa;
import io.github.cdklabs.cdknag.NagPack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.cognito.FeaturePlan;
import software.amazon.awscdk.services.cognito.OAuthScope;
import software.amazon.awscdk.services.cognito.ResourceServerScope;
import software.amazon.awscdk.services.cognito.UserPoolClient;
import software.amazon.awscdk.services.cognito.UserPoolGroup;
import software.amazon.awscdk.services.cognito.UserPoolResourceServer;
import software.amazon.awscdk.services.cognito.UserPoolResourceServerOptions;

/**
 * UserDirectory from Java: MFA, a prefix domain, groups from the props and addGroup, a public and
 * a confidential (client-credentials) client through addClient, tuned alarms, and a SecureApi
 * whose routes are authorized by the directory's userPool. One app per profile (the app's default
 * profile, ComplianceChecks on), synthesized once; the smallest directory and the optional-MFA
 * opt-in are checked on their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserDirectoryTest {
    private static final String CALLBACK = "https://shop.example.com/callback";

    /** What one profile's app holds. */
    private static final class Built {
        App app;
        List<NagPack> packs;
        Stack stack;
        UserDirectory users;
        UserPoolGroup auditors;
        UserPoolClient web;
        UserPoolResourceServer server;
        UserPoolClient backend;
        ApiRoute profileRoute;
        ApiRoute ordersRoute;
        Template template;
    }

    private final Map<ComplianceProfile, Built> built = new EnumMap<>(ComplianceProfile.class);

    private static String domainPrefix(final ComplianceProfile profile) {
        return "example-" + profile.name().toLowerCase() + "-shop";
    }

    private static Built build(final ComplianceProfile profile) {
        Built b = new Built();
        b.app = new App();
        CompliancePolicy.setDefaultProfile(b.app, profile);
        b.packs = ComplianceChecks.enable(b.app);

        b.stack = Support.stack(b.app, (profile == ComplianceProfile.STANDARD ? "Standard" : "Regulated") + "Shop");
        Monitoring.Builder.create(b.stack, "Monitoring").emailAddresses(List.of("oncall@example.com")).build();
        b.users = UserDirectory.Builder.create(b.stack, "Users")
                .mfa(UserDirectoryMfa.REQUIRED)
                .passwordMinLength(16)
                .domainPrefix(domainPrefix(profile))
                .groups(List.of("admins"))
                .alarms(UserDirectoryAlarmsProps.builder().signInThrottles(ThresholdAlarmOptions.builder().threshold(5).build()).build())
                .build();
        b.auditors = b.users.addGroup("auditors", UserDirectoryGroupOptions.builder()
                .description("Read-only access to the audit trail").precedence(10).build());
        b.web = b.users.addClient("Web", UserDirectoryClientOptions.builder()
                .kind(UserDirectoryClientKind.PUBLIC_CLIENT)
                .callbackUrls(List.of(CALLBACK, "http://localhost:3000/callback"))
                .logoutUrls(List.of("https://shop.example.com/"))
                .accessTokenValidity(Duration.minutes(15))
                .build());
        ResourceServerScope read = ResourceServerScope.Builder.create().scopeName("read").scopeDescription("Read orders").build();
        b.server = b.users.getUserPool().addResourceServer("OrdersApi",
                UserPoolResourceServerOptions.builder().identifier("orders").scopes(List.of(read)).build());
        b.backend = b.users.addClient("Backend", UserDirectoryClientOptions.builder()
                .kind(UserDirectoryClientKind.CONFIDENTIAL_CLIENT)
                .clientCredentialsScopes(List.of(OAuthScope.resourceServer(b.server, read)))
                .build());

        // The directory's users call the API: ID tokens by default, the backend's access token on /orders.
        SecureFunction handler = SecureFunction.Builder.create(b.stack, "Handler").code(Support.inlineCode()).handler("index.handler").build();
        SecureApi api = SecureApi.Builder.create(b.stack, "ShopApi")
                .userPool(b.users.getUserPool()).cloudWatchRole(ApiCloudWatchRole.EXISTING).build();
        b.profileRoute = api.addRoute(ApiMethod.GET, "/profile", handler.getLambdaFunction());
        b.ordersRoute = api.addRoute(ApiMethod.GET, "/orders", handler.getLambdaFunction(), ApiRouteOptions.builder()
                .authorization(ApiAuthorization.cognito(b.users.getUserPool(),
                        CognitoApiAuthorizationOptions.builder().scopes(List.of("orders/read")).build()))
                .build());

        b.app.synth(); // runs the profile's packs: any finding fails here
        b.template = Template.fromStack(b.stack);
        return b;
    }

    @BeforeAll
    void build() {
        for (ComplianceProfile profile : List.of(ComplianceProfile.STANDARD, ComplianceProfile.REGULATED)) {
            built.put(profile, build(profile));
        }
    }

    // --- The user pool --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void userPoolRequiresMfaAndAStrongPasswordAndIsRetained(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(profile, b.users.getComplianceProfile());
        assertEquals("Retain", Support.resourceOf(b.template, b.users.getUserPool()).get("DeletionPolicy"));
        assertTrue(Support.hasProperties(b.template, b.users.getUserPool(), Map.of(
                "MfaConfiguration", "ON",
                "EnabledMfas", List.of("SOFTWARE_TOKEN_MFA"),
                "DeletionProtection", "ACTIVE",
                "UsernameAttributes", List.of("email"),
                "AdminCreateUserConfig", Match.objectLike(Map.of("AllowAdminCreateUserOnly", true)),
                "AccountRecoverySetting", Map.of("RecoveryMechanisms", List.of(Map.of("Name", "verified_email", "Priority", 1))),
                "Policies", Map.of("PasswordPolicy", Map.of(
                        "MinimumLength", 16, "RequireLowercase", true, "RequireUppercase", true, "RequireNumbers", true,
                        "RequireSymbols", true, "TemporaryPasswordValidityDays", 3, "PasswordHistorySize", 4)))));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void threatProtectionInRegulatedOnly(final ComplianceProfile profile) {
        Built b = built.get(profile);
        boolean regulated = profile == ComplianceProfile.REGULATED;
        assertEquals(regulated ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS, b.users.getFeaturePlan());
        assertTrue(Support.hasProperties(b.template, b.users.getUserPool(), Map.of(
                "UserPoolTier", regulated ? "PLUS" : "ESSENTIALS",
                "UserPoolAddOns", regulated ? Map.of("AdvancedSecurityMode", "ENFORCED") : Match.absent())));
        b.template.resourceCountIs("AWS::Cognito::UserPoolRiskConfigurationAttachment", regulated ? 1 : 0);
        if (regulated) {
            b.template.hasResourceProperties("AWS::Cognito::UserPoolRiskConfigurationAttachment", Map.of(
                    "UserPoolId", b.stack.resolve(b.users.getUserPool().getUserPoolId()),
                    "ClientId", "ALL",
                    "CompromisedCredentialsRiskConfiguration", Map.of("Actions", Map.of("EventAction", "BLOCK"))));
        }
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void domainAndGroups(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertNotNull(b.users.getDomain());
        b.template.hasResourceProperties("AWS::Cognito::UserPoolDomain", Map.of(
                "Domain", domainPrefix(profile),
                "UserPoolId", b.stack.resolve(b.users.getUserPool().getUserPoolId())));
        assertEquals(List.of("admins", "auditors"), b.users.getGroups().stream().map(g -> g.getNode().getId()).collect(Collectors.toList()));
        assertTrue(Support.hasProperties(b.template, b.auditors, Map.of(
                "GroupName", "auditors", "Description", "Read-only access to the audit trail", "Precedence", 10)));
        b.template.resourceCountIs("AWS::Cognito::UserPoolGroup", 2);
    }

    // --- App clients ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void publicClientSignsInWithSrpOrTheCodeGrantWithoutASecret(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertTrue(Support.hasProperties(b.template, b.web, Map.of(
                "GenerateSecret", false,
                "AllowedOAuthFlows", List.of("code"),
                "AllowedOAuthFlowsUserPoolClient", true,
                "CallbackURLs", List.of(CALLBACK, "http://localhost:3000/callback"),
                "LogoutURLs", List.of("https://shop.example.com/"),
                "AllowedOAuthScopes", Match.arrayWith(List.of("openid", "email", "profile")),
                "ExplicitAuthFlows", Match.arrayWith(List.of("ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")))));
        assertTrue(Support.hasProperties(b.template, b.web, Map.of(
                "PreventUserExistenceErrors", "ENABLED",
                "EnableTokenRevocation", true,
                "AccessTokenValidity", 15,
                "IdTokenValidity", 60,
                "RefreshTokenValidity", 43200)));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void confidentialClientGetsMachineToMachineTokens(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertTrue(Support.hasProperties(b.template, b.backend, Map.of(
                "GenerateSecret", true,
                "AllowedOAuthFlows", List.of("client_credentials"),
                "AllowedOAuthScopes", List.of(Map.of("Fn::Join", List.of("", List.of(Map.of("Ref", Support.logicalId(b.server)), "/read")))),
                "CallbackURLs", Match.absent())));
        assertEquals(List.of(b.web.getNode().getPath(), b.backend.getNode().getPath()),
                b.users.getClients().stream().map(c -> c.getNode().getPath()).collect(Collectors.toList()));
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void alarmsPerSigningInClient(final ComplianceProfile profile) {
        Built b = built.get(profile);
        List<Map<String, Object>> dimensions = List.of(
                Map.of("Name", "UserPool", "Value", b.stack.resolve(b.users.getUserPool().getUserPoolId())),
                Map.of("Name", "UserPoolClient", "Value", b.stack.resolve(b.web.getUserPoolClientId())));
        b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Cognito", "MetricName", "SignInThrottles", "Statistic", "Sum", "Threshold", 5, "Period", 300,
                "Dimensions", dimensions,
                "AlarmActions", List.of(b.stack.resolve(Monitoring.of(b.stack).getAlarmTopic().getTopicArn()))));
        b.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Cognito", "MetricName", "TokenRefreshThrottles", "Threshold", 0, "Dimensions", dimensions));
        // The client-credentials client signs nobody in: no alarms.
        assertEquals(2, b.users.getAlarms().size());
        assertEquals(2, b.template.findResources("AWS::CloudWatch::Alarm", Map.of("Properties", Match.objectLike(Map.of("Namespace", "AWS/Cognito")))).size());
    }

    // --- The API authorized by the directory ----------------------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void apiRoutesAreAuthorizedByTheDirectorysUserPool(final ComplianceProfile profile) {
        Built b = built.get(profile);
        b.template.resourceCountIs("AWS::ApiGateway::Authorizer", 2); // the API's, and the scoped route's
        assertEquals(2, b.template.findResources("AWS::ApiGateway::Authorizer", Map.of("Properties", Match.objectLike(Map.of(
                "Type", "COGNITO_USER_POOLS",
                "ProviderARNs", List.of(b.stack.resolve(b.users.getUserPool().getUserPoolArn())))))).size());
        assertTrue(Support.routeHas(b.template, b.profileRoute, Map.of("AuthorizationType", "COGNITO_USER_POOLS", "AuthorizationScopes", Match.absent())));
        assertTrue(Support.routeHas(b.template, b.ordersRoute, Map.of("AuthorizationType", "COGNITO_USER_POOLS", "AuthorizationScopes", List.of("orders/read"))));
        b.template.resourceCountIs("AWS::ApiGateway::Account", 0);
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void noFindingsInTheProfilesPacks(final ComplianceProfile profile) {
        Built b = built.get(profile);
        assertEquals(profile == ComplianceProfile.REGULATED ? 5 : 2, b.packs.size());
        assertEquals(List.of(), Support.nagViolations(b.app, profile));
    }

    // --- Compliance of the smallest directory and the opt-in ------------------------------------

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void minimalDirectoryHasNoFindings(final ComplianceProfile profile) {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, profile);
        ComplianceChecks.enable(app);
        UserDirectory users = new UserDirectory(Support.stack(app, "Minimal"), "Users");
        app.synth();
        assertEquals(List.of(), Support.nagViolations(app, profile));
        assertEquals(List.of(), users.getClients());
        assertNull(users.getDomain());
    }

    @ParameterizedTest
    @EnumSource(ComplianceProfile.class)
    void optionalMfaLeavesExactlyCog2(final ComplianceProfile profile) {
        App app = new App();
        CompliancePolicy.setDefaultProfile(app, profile);
        Stack stack = Support.stack(app, "OptionalMfa");
        UserDirectory.Builder.create(stack, "Users").mfa(UserDirectoryMfa.OPTIONAL).build();
        app.synth();
        assertEquals(List.of("AwsSolutions: AwsSolutions-COG2 @ OptionalMfa/Users/UserPool/Resource"), Support.nagViolations(app, profile));
        Template.fromStack(stack).hasResourceProperties("AWS::Cognito::UserPool", Map.of("MfaConfiguration", "OPTIONAL"));
    }

    @Test
    void anOAuthClientWithoutADomainWarns() {
        Stack stack = Support.stack(new App(), "NoDomain");
        UserDirectory users = new UserDirectory(stack, "Users");
        users.addClient("Web", UserDirectoryClientOptions.builder()
                .kind(UserDirectoryClientKind.PUBLIC_CLIENT).callbackUrls(List.of(CALLBACK)).build());
        assertTrue(Support.warningIds(stack).contains("cdk-bulwark:user-directory:no-domain"), Support.warningIds(stack).toString());
    }

    // --- Errors ---------------------------------------------------------------------------------

    private static void assertMessage(final String expected, final RuntimeException error) {
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }

    @Test
    void aPlainHttpCallbackIsRefused() {
        UserDirectory users = new UserDirectory(Support.stack(new App(), "Errors"), "Users");
        assertMessage("UserDirectory 'Errors/Users': callbackUrls of client 'Web' is 'http://shop.example.com/callback'; "
                + "each URL must be https:// (http:// only for localhost)",
                assertThrows(RuntimeException.class, () -> users.addClient("Web", UserDirectoryClientOptions.builder()
                        .kind(UserDirectoryClientKind.PUBLIC_CLIENT).callbackUrls(List.of("http://shop.example.com/callback")).build())));
        assertEquals(List.of(), users.getClients());
    }

    @Test
    void aDuplicateGroupIsRefused() {
        UserDirectory users = UserDirectory.Builder.create(Support.stack(new App(), "Errors"), "Users").groups(List.of("admins")).build();
        assertMessage("UserDirectory 'Errors/Users': group name is 'admins'; a group of this name already exists in this directory",
                assertThrows(RuntimeException.class, () -> users.addGroup("admins")));
    }

    @Test
    void aReservedWordInTheDomainPrefixIsRefused() {
        Stack stack = Support.stack(new App(), "Errors");
        assertMessage("UserDirectory 'Errors/Users': domainPrefix is 'my-aws-login'; it contains 'aws'; "
                + "Cognito refuses prefixes that contain 'aws', 'amazon' or 'cognito'",
                assertThrows(RuntimeException.class, () -> UserDirectory.Builder.create(stack, "Users").domainPrefix("my-aws-login").build()));
    }

    @Test
    void theClientKindIsRequiredByTheBuilder() {
        NullPointerException error = assertThrows(NullPointerException.class,
                () -> UserDirectoryClientOptions.builder().callbackUrls(List.of(CALLBACK)).build());
        assertEquals("kind is required", error.getMessage());
    }
}

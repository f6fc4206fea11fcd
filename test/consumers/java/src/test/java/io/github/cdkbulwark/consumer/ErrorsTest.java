package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.github.cdkbulwark.EventHub;
import io.github.cdkbulwark.HubRouteOptions;
import io.github.cdkbulwark.HubTarget;
import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunctionProps;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventPattern;

/**
 * Mistakes a Java user makes: the compiler catches types, the builders missing required fields, and
 * values the library rejects come back through the jsii runtime as a RuntimeException that carries the
 * library's message: construct, path, prop, value and what is allowed.
 */
class ErrorsTest {
    @Test
    void aMissingRequiredFieldIsCaughtByTheBuilder() {
        NullPointerException error = assertThrows(NullPointerException.class,
                () -> SecureFunctionProps.builder().code(Support.handlerProps().getCode()).build());
        assertEquals("handler is required", error.getMessage());
    }

    @Test
    void aValueTheConstructorRejectsNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class,
                () -> QueueWorker.Builder.create(stack, "W").batchSize(0).handlerProps(Support.handlerProps()).build());
        assertTrue(error.getMessage().contains("QueueWorker 'Errors/W': batchSize is 0; it must be an integer from 1 to 10000"), error.getMessage());
    }

    @Test
    void aValueAMethodRejectsNamesThePathAndTheProp() {
        Stack stack = Support.stack(new App(), "Errors");
        EventHub hub = new EventHub(stack, "Hub");
        HubRouteOptions options = HubRouteOptions.builder()
                .eventPattern(EventPattern.builder().build())
                .targets(List.of(HubTarget.lambdaFunction(Support.function(stack, "Fn").getLambdaFunction())))
                .build();
        RuntimeException error = assertThrows(RuntimeException.class, () -> hub.addRoute("All", options));
        assertTrue(error.getMessage().contains("EventHub 'Errors/Hub': route 'All' eventPattern is {};"), error.getMessage());
        assertEquals(List.of(), hub.getRoutes());
    }
}

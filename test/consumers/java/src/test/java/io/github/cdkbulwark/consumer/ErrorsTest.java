package io.github.cdkbulwark.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdkbulwark.QueueWorker;
import io.github.cdkbulwark.SecureFunctionProps;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;

/** Mistakes a Java user makes: the compiler catches types; the builders and the library the rest. */
class ErrorsTest {
    private static SecureFunctionProps handlerProps() {
        return SecureFunctionProps.builder().code(Support.inlineCode()).handler("index.handler").build();
    }

    @Test
    void libraryValidationErrorCarriesTheMessage() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> QueueWorker.Builder.create(stack, "W")
                .batchSize(0).handlerProps(handlerProps()).build());
        assertTrue(error.getMessage().contains("QueueWorker 'Errors/W': batchSize is 0; it must be an integer from 1 to 10000"),
                error.getMessage());
    }

    @Test
    void visibilityTimeoutTooShort() {
        Stack stack = Support.stack(new App(), "Errors");
        RuntimeException error = assertThrows(RuntimeException.class, () -> QueueWorker.Builder.create(stack, "W")
                .visibilityTimeout(Duration.seconds(30)).handlerProps(handlerProps()).build());
        assertTrue(error.getMessage().contains("visibilityTimeout is 30 seconds"), error.getMessage());
    }

    @Test
    void missingRequiredStructFieldIsCaughtByTheBuilder() {
        NullPointerException error = assertThrows(NullPointerException.class,
                () -> SecureFunctionProps.builder().code(Support.inlineCode()).build());
        assertEquals("handler is required", error.getMessage());
    }
}

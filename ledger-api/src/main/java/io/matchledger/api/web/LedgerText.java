package io.matchledger.api.web;

import io.matchledger.core.api.LedgerRules;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Free text of the ledger (a player's name, a reason), checked at the edge by the domain's own rule, so that the
 * web and the domain can never disagree on what is valid.
 */
@Documented
@Constraint(validatedBy = LedgerText.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface LedgerText {

    Kind value();

    String message() default "must be 1-{max} characters after trimming, without control characters";

    long max() default LedgerRules.NAME_MAX;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Kind {
        NAME,
        REASON
    }

    class Check implements ConstraintValidator<LedgerText, String> {

        private Kind kind;

        @Override
        public void initialize(LedgerText annotation) {
            kind = annotation.value();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            return switch (kind) {
                case NAME -> LedgerRules.isValidName(text);
                case REASON -> LedgerRules.isValidReason(text);
            };
        }
    }
}

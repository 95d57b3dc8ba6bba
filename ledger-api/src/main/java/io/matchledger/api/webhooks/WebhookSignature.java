package io.matchledger.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a delivery is signed, as the widely used payment and code-hosting webhooks sign theirs: header
 * {@value #HEADER} {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the subscription's secret>}. A
 * receiver recomputes it over the raw body, compares in constant time, refuses an old {@code t} (replays), and
 * de-duplicates on {@value #EVENT_ID}.
 */
public final class WebhookSignature {

    public static final String HEADER = "Ledger-Signature";
    public static final String EVENT_ID = "Ledger-Event-Id";
    public static final String EVENT_TYPE = "Ledger-Event-Type";
    public static final String WEBHOOK_ID = "Ledger-Webhook-Id";
    public static final String ATTEMPT = "Ledger-Delivery-Attempt";

    private WebhookSignature() {}

    public static String sign(String secret, long timestamp, String body) {
        return "t=" + timestamp + ",v1=" + hmac(secret, timestamp + "." + body);
    }

    static String hmac(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256", e);
        }
    }
}

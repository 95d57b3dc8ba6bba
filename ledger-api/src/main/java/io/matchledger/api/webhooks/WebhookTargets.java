package io.matchledger.api.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may be sent: {@code https} to public addresses only, so that an operator's request cannot make the
 * ledger call into its own network (the loopback, private, link-local and unique-local ranges, the metadata service of
 * a cloud host); plain {@code http}, or such an address, only within {@code ledger.webhooks.allowed-networks}. Checked
 * when a subscription is made and again before every attempt, on the addresses the host resolves to then.
 */
@Component
public class WebhookTargets {

    private final List<IpAddressMatcher> allowed;

    public WebhookTargets(WebhookSettings settings) {
        this.allowed =
                settings.allowedNetworks().stream().map(IpAddressMatcher::new).toList();
    }

    /** Why the URL may not be called; empty when it may. */
    public Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception notAUri) {
            return Optional.of("must be an absolute http(s) URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            return Optional.of("must be an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            return Optional.of("must not carry credentials or a fragment");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException unknown) {
            return Optional.of("names a host that does not resolve: " + uri.getHost());
        }
        for (InetAddress address : addresses) {
            boolean listed = allowed.stream().anyMatch(range -> range.matches(address.getHostAddress()));
            if (listed) {
                continue;
            }
            if (internal(address)) {
                return Optional.of("resolves to " + address.getHostAddress() + ", a private or loopback address that "
                        + "ledger.webhooks.allowed-networks does not list");
            }
            if (!scheme.equals("https")) {
                return Optional.of("must be https (http only within ledger.webhooks.allowed-networks)");
            }
        }
        return Optional.empty();
    }

    private static boolean internal(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean carrierGrade = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
        return address.isLoopbackAddress()
                || address.isSiteLocalAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()
                || uniqueLocal
                || carrierGrade;
    }
}

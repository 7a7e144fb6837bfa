package dev.baserdb.api.webhook;

import dev.baserdb.kernel.error.BaserDbException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a webhook may post (API.md §13): only public addresses. A target is refused when any address
 * its host names is loopback, private, shared (CGNAT), link-local (cloud metadata lives there),
 * multicast, unspecified, broadcast, reserved or a documentation range — in IPv4, in IPv6, and in
 * IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4). Hosts written as numbers
 * in the forms {@code inet_aton} accepts (decimal {@code 2130706433}, octal {@code 0177.0.0.1}, hex
 * {@code 0x7f.1}, short {@code 127.1}) are read as the address they denote, never sent to DNS.
 * The same check runs when a webhook is saved and, after a fresh DNS resolution, before each
 * delivery, which then connects to exactly the addresses checked (no rebinding in between).
 * With {@code allowLoopback}, 127.0.0.0/8 and ::1 pass — and nothing else that is refused here.
 */
final class WebhookTargets {

    private static final Pattern NUMERIC_HOST = Pattern.compile("^[0-9a-fA-FxX.]+$");
    private static final Pattern HAS_DIGIT_START = Pattern.compile("^(0[xX][0-9a-fA-F]*|[0-9]+)(\\.(0[xX][0-9a-fA-F]*|[0-9]+)){0,3}\\.?$");
    private static final int MAX_URL = 2048;

    private final boolean allowLoopback;
    private final Resolver resolver;

    /** DNS, replaceable in tests. */
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    WebhookTargets(boolean allowLoopback) {
        this(allowLoopback, InetAddress::getAllByName);
    }

    WebhookTargets(boolean allowLoopback, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /** The URL as it will be stored, after the checks of a new or changed webhook (400 otherwise). */
    String checkedUrl(String url) {
        URI uri = parse(url);
        try {
            addresses(uri.getHost());
        } catch (Refused e) {
            throw BaserDbException.invalid("url", e.getMessage());
        } catch (UnknownHostException e) {
            throw BaserDbException.invalid("url", "host does not resolve: " + uri.getHost());
        }
        return uri.toString();
    }

    /** A syntactically acceptable target: http(s), a host, no user info, no fragment. */
    static URI parse(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_URL) {
            throw BaserDbException.invalid("url", "must be an http or https URL of at most " + MAX_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw BaserDbException.invalid("url", "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw BaserDbException.invalid("url", "must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw BaserDbException.invalid("url", "must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw BaserDbException.invalid("url", "must not carry user information");
        }
        if (uri.getRawFragment() != null) {
            throw BaserDbException.invalid("url", "must not carry a fragment");
        }
        return uri;
    }

    /**
     * Every address the host names, each checked; {@link Refused} when any is refused (a name with
     * one public and one private address is refused whole), UnknownHostException when none.
     */
    InetAddress[] addresses(String host) throws UnknownHostException {
        InetAddress[] addresses = resolveLiterally(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            String refusal = refusal(address);
            if (refusal != null) {
                throw new Refused(host + " is " + refusal + " (" + address.getHostAddress() + "): refused as a webhook target");
            }
        }
        return addresses;
    }

    private InetAddress[] resolveLiterally(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.contains(":")) {
            // An IPv6 literal: parsed, never looked up (a zone id is refused rather than interpreted).
            if (bare.contains("%") || !bare.matches("^[0-9a-fA-F:.]+$")) {
                throw new Refused(host + " is not an acceptable IPv6 address");
            }
            return new InetAddress[]{InetAddress.getByName(bare)};
        }
        if (NUMERIC_HOST.matcher(bare).matches() && HAS_DIGIT_START.matcher(bare).matches()) {
            return new InetAddress[]{ipv4(bare, host)};
        }
        if (bare.matches("^[0-9.]+$")) {
            throw new Refused(host + " is not an acceptable IPv4 address");
        }
        return resolver.resolve(bare);
    }

    /** inet_aton: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the remaining bytes. */
    private static InetAddress ipv4(String text, String host) throws UnknownHostException {
        String trimmed = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        String[] parts = trimmed.split("\\.", -1);
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(parts[i], host);
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                throw new Refused(host + " is not an acceptable IPv4 address");
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        int lastBytes = 4 - (parts.length - 1);
        if (last >= (1L << (8 * lastBytes))) {
            throw new Refused(host + " is not an acceptable IPv4 address");
        }
        address |= last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        return InetAddress.getByAddress(bytes);
    }

    private static long number(String part, String host) throws Refused {
        try {
            if (part.isEmpty()) {
                throw new NumberFormatException();
            }
            if (part.startsWith("0x") || part.startsWith("0X")) {
                return part.length() == 2 ? 0 : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part, 10);
        } catch (NumberFormatException e) {
            throw new Refused(host + " is not an acceptable IPv4 address");
        }
    }

    /** Why the address may not be a target, or null when it may. */
    String refusal(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return allowLoopback ? null : "a loopback address";
        }
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    String inner = refusalV4(embedded);
                    if (inner != null) {
                        return inner + " inside an IPv6 address";
                    }
                    if (Byte.toUnsignedInt(embedded[0]) == 127) {
                        return "a loopback address inside an IPv6 address";
                    }
                } catch (RuntimeException e) {
                    return "an unreadable IPv6 address";
                }
            }
            if (address.isAnyLocalAddress()) {
                return "the unspecified address";
            }
            if (address.isLinkLocalAddress() || address.isSiteLocalAddress()) {
                return "a link-local address";
            }
            if (address.isMulticastAddress()) {
                return "a multicast address";
            }
            if ((b[0] & 0xfe) == 0xfc) {
                return "a private (unique local) address";
            }
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
                return "a documentation address";
            }
            if (b[0] == 0x01 && b[1] == 0 && allZero(b, 2, 8)) {
                return "a discard address";
            }
            return null;
        }
        return refusalV4(address.getAddress());
    }

    private static String refusalV4(byte[] a) {
        int b0 = Byte.toUnsignedInt(a[0]);
        int b1 = Byte.toUnsignedInt(a[1]);
        int b2 = Byte.toUnsignedInt(a[2]);
        if (b0 == 0) {
            return "the unspecified network";
        }
        if (b0 == 127) {
            return null; // loopback: decided by the caller (allowed only when configured)
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
            return "a private address";
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return "a shared (carrier-grade NAT) address";
        }
        if (b0 == 169 && b1 == 254) {
            return "a link-local address (cloud metadata lives there)";
        }
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            return "a reserved address";
        }
        if (b0 == 198 && (b1 & 0xfe) == 18) {
            return "a benchmarking address";
        }
        if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113)) {
            return "a documentation address";
        }
        if (b0 >= 224 && b0 <= 239) {
            return "a multicast address";
        }
        if (b0 >= 240) {
            return "a reserved or broadcast address";
        }
        return null;
    }

    /** The IPv4 address an IPv6 address carries: mapped/compatible (::ffff:a.b.c.d, ::a.b.c.d), NAT64, 6to4. */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean firstTenZero = allZero(b, 0, 10);
        if (firstTenZero && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0
                && !allZero(b, 12, 16) && !(allZero(b, 12, 15) && b[15] == 1)))) {
            return new byte[]{b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b) {
            return new byte[]{b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new byte[]{b[2], b[3], b[4], b[5]};
        }
        return null;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** A target refused by policy (not a DNS failure). */
    static final class Refused extends UnknownHostException {
        Refused(String message) {
            super(message);
        }
    }
}

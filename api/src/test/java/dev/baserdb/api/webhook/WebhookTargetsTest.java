package dev.baserdb.api.webhook;

import dev.baserdb.api.support.WebhookReceiver;
import dev.baserdb.kernel.error.BaserDbException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SSRF rules of webhook targets, address form by address form, and the check at delivery:
 * after a fresh DNS answer, and before any connection (a name that turned private is refused, and
 * the receiver never sees a request).
 */
class WebhookTargetsTest {

    private final WebhookTargets strict = new WebhookTargets(false, host -> {
        throw new UnknownHostException(host);
    });
    private final WebhookTargets loopbackAllowed = new WebhookTargets(true, host -> {
        throw new UnknownHostException(host);
    });

    @ParameterizedTest
    @ValueSource(strings = {
            // loopback in every notation
            "http://127.0.0.1/", "http://127.9.9.9/", "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/",
            "http://0x7f000001/", "http://127.1/", "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
            "http://[0:0:0:0:0:ffff:7f00:1]/",
            // private, shared, link-local and cloud metadata
            "http://10.0.0.1/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.0.1/", "http://100.64.0.1/",
            "http://169.254.169.254/", "http://0xa9.0xfe.0xa9.0xfe/", "http://2852039166/", "http://0251.0376.0251.0376/",
            "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[fc00::1]/", "http://[::ffff:169.254.169.254]/",
            "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::]/", "http://[::10.0.0.1]/",
            // multicast, unspecified, broadcast, reserved
            "http://224.0.0.1/", "http://239.255.255.250/", "http://[ff02::1]/", "http://0.0.0.0/", "http://0/",
            "http://[::]/", "http://255.255.255.255/", "http://240.0.0.1/",
            // not an address at all
            "http://256.1.1.1/", "http://1.2.3.4.5/", "http://08.1.1.1/", "http://[fe80::1%25eth0]/"})
    void given_no_loopback_allowance_then_every_internal_form_is_refused(String url) {
        assertThatThrownBy(() -> strict.checkedUrl(url)).isInstanceOf(BaserDbException.class)
                .satisfies(e -> assertThat(((BaserDbException) e).details()).containsKey("url"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://127.0.0.2/", "http://[::1]:9000/", "http://2130706433/",
            "http://[::ffff:127.0.0.1]/"})
    void given_the_loopback_allowance_then_loopback_passes(String url) {
        assertThat(loopbackAllowed.checkedUrl(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://169.254.169.254/", "http://[fe80::1]/", "http://[::127.0.0.1]/",
            "http://[::ffff:10.0.0.1]/", "http://0.0.0.0/", "http://224.0.0.1/"})
    void given_the_loopback_allowance_then_everything_else_internal_stays_refused(String url) {
        assertThatThrownBy(() -> loopbackAllowed.checkedUrl(url)).isInstanceOf(BaserDbException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/hook", "http://8.8.8.8/", "http://[2606:4700:4700::1111]/",
            "http://134744072/"})
    void given_a_public_address_then_it_passes(String url) {
        assertThat(strict.checkedUrl(url)).isEqualTo(url);
    }

    @Test
    void given_a_name_with_one_public_and_one_private_address_then_it_is_refused_whole() {
        WebhookTargets targets = new WebhookTargets(false, host -> new InetAddress[]{
                InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.0.0.7")});
        assertThatThrownBy(() -> targets.checkedUrl("https://mixed.example/")).isInstanceOf(BaserDbException.class);
    }

    @Test
    void given_a_name_public_at_creation_and_private_at_delivery_then_the_delivery_is_refused_before_connecting() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            int port = Integer.parseInt(receiver.url().replaceAll(".*:(\\d+)/.*", "$1"));
            AtomicInteger lookups = new AtomicInteger();
            // First answer public, then the name rebinds to the loopback receiver (not allowed here).
            WebhookTargets rebinding = new WebhookTargets(false, host -> new InetAddress[]{lookups.getAndIncrement() == 0
                    ? InetAddress.getByName("93.184.216.34") : InetAddress.getByName("127.0.0.1")});
            String url = rebinding.checkedUrl("http://rebind.example:" + port + "/hook");

            try (WebhookSender sender = new WebhookSender(rebinding, Duration.ofSeconds(2))) {
                WebhookSender.Outcome outcome = sender.send(url, "secret", "row.inserted", "dlv_1", "{}");
                assertThat(outcome.delivered()).isFalse();
                assertThat(outcome.error()).startsWith("refused");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            assertThat(lookups.get()).isEqualTo(2);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void given_a_redirecting_target_then_the_redirect_is_not_followed() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(302);
             WebhookSender sender = new WebhookSender(loopbackAllowed, Duration.ofSeconds(2))) {
            WebhookSender.Outcome outcome = sender.send(receiver.url(), "secret", "row.inserted", "dlv_1", "{}");
            assertThat(outcome.statusCode()).isEqualTo(302);
            assertThat(outcome.delivered()).isFalse();
            assertThat(outcome.responseBody()).hasSize(WebhookSender.KEPT_RESPONSE_BYTES);
            assertThat(receiver.received()).hasSize(1);
        }
    }
}

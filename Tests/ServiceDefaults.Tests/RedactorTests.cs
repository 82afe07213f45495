using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ServiceDefaults.Tests;

public sealed class RedactorTests
{
    private static readonly TelemetryRedactor Redactor = Create(maskIps: false);

    [Theory]
    [InlineData("contact jane.doe+x@example.co.uk now", "contact [EMAIL] now")]
    [InlineData("call +1 (555) 123-4567 or 555.123.4567", "call [PHONE] or [PHONE]")]
    [InlineData("intl +447911123456.", "intl [PHONE].")]
    [InlineData("intl +35312345 ok", "intl [PHONE] ok")]
    [InlineData("call (555)\t123-4567", "call [PHONE]")]
    [InlineData("ssn 123-45-6789", "ssn [SSN]")]
    [InlineData("card 4111 1111 1111 1111 ok", "card [CARD] ok")]
    [InlineData("card 4111-1111-1111-1111", "card [CARD]")]
    [InlineData("card 5500005555555559", "card [CARD]")]
    [InlineData("Authorization: Bearer abc.def-ghi_123", "Authorization: [REDACTED]")]
    [InlineData("Cookie: session=abc; theme=dark", "Cookie: [REDACTED]")]
    [InlineData("x-api-key=k-123456789 sent", "x-api-key=[REDACTED]")]
    [InlineData("retried with Bearer abc.def-ghi_123 again", "retried with Bearer [REDACTED] again")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here", "token [REDACTED] here")]
    [InlineData("Host=db;Password=s3cr3t;Database=x", "Host=db;Password=[REDACTED];Database=x")]
    [InlineData("{\"password\":\"hunter2\",\"name\":\"a\"}", "{\"password\":\"[REDACTED]\",\"name\":\"a\"}")]
    [InlineData("api_key=abcdef123456&x=1", "api_key=[REDACTED]&x=1")]
    public void Free_text_is_scrubbed(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));

    [Theory]
    [InlineData("card 4111 1111 1111 1112")] // fails Luhn: an order number, not a card
    [InlineData("took 1048576 bytes in 12.5 ms")]
    [InlineData("job 0197c8e2-5b7a-7cc1-9a4e-1f2d3c4b5a69 at 2026-11-23T12:00:00Z")]
    [InlineData("GET /items/{id:int} 200 1.234 ms 127.0.0.1")]
    public void Ordinary_text_is_left_alone_and_not_copied(string input) => Assert.Same(input, Redactor.Redact(input));

    [Fact]
    public void The_same_instance_is_answered_the_same_way_every_time()
    {
        // Clean instances are remembered by reference: a remembered one must stay untouched, and a dirty one (or a
        // sensitive name) must never be taken for a remembered clean one, however often it comes back.
        var redactor = Create(maskIps: false);
        var clean = string.Concat("SELECT id FROM jobs WHERE id = ", "$1");
        var dirty = string.Concat("mail jane", "@example.com");
        var sensitiveName = string.Concat("pass", "word");
        for (var i = 0; i < 3; i++)
        {
            Assert.Same(clean, redactor.Redact(clean));
            Assert.Equal("mail [EMAIL]", redactor.Redact(dirty));
            Assert.False(redactor.IsSensitiveName(clean));
            Assert.True(redactor.IsSensitiveName(sensitiveName));
            Assert.Equal(TelemetryRedactor.Mask, redactor.RedactValue(sensitiveName, clean));
        }
        // An equal string that is another instance is judged on its own content.
        Assert.Equal("mail [EMAIL]", redactor.Redact(new string(dirty.AsSpan())));
    }

    [Theory]
    [InlineData("0198c1a2b3c4d5e6f712345678901234")] // a generated request id
    [InlineData("4bf92f3577b34da6a3ce929d0e0e4736")] // a trace id
    [InlineData("GET /api/v1/jobs/{id} 200 12.345 ms 127.0.0.1")]
    [InlineData("SELECT id, idempotency_key, request_id FROM jobs WHERE id = $1")] // a traced query
    [InlineData("/api/v1/jobs/01a209ca-98ed-7511-9463-93ab9c962509")] // a request path with a UUID
    [InlineData("order ab123456789 and item x1234567890y after a long digit-free stretch of text")]
    public void Ids_and_access_lines_skip_the_patterns(string input) => Assert.False(Redactor.MayNeedRedaction(input));

    [Theory]
    [InlineData("card 4111 1111 1111 1111 ok")]
    [InlineData("id-4111111111111111")]
    [InlineData("(555) 123-4567")]
    [InlineData("X-API-Key: abc")]
    [InlineData("intl +35312345")]
    [InlineData("(555)\t123-4567")]
    [InlineData("access_key=abc")]
    [InlineData("4111111111111111 first")]
    [InlineData("a long value without a digit for a while, then at last +35312345")]
    [InlineData("ids ab12 and cd34, then the number 555 123 4567")]
    public void Digit_runs_at_a_word_boundary_need_the_patterns(string input) => Assert.True(Redactor.MayNeedRedaction(input));

    [Fact]
    public void Ip_addresses_are_masked_only_when_configured()
    {
        const string text = "from 203.0.113.7 and 2001:db8::1 and ::1 at 12:30:45";
        Assert.Same(text, Redactor.Redact(text));
        Assert.Equal("from [IP] and [IP] and [IP] at 12:30:45", Create(maskIps: true).Redact(text));
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("http.request.header.x-api-key")]
    [InlineData("Cookie")]
    [InlineData("Set-Cookie")]
    [InlineData("Proxy-Authorization")]
    [InlineData("userPassword")]
    [InlineData("client_secret")]
    [InlineData("refresh_token")]
    [InlineData("ConnectionStrings:jobsdb")]
    [InlineData("connection_string")]
    public void Values_under_sensitive_names_are_masked_whole(string name)
    {
        Assert.True(Redactor.IsSensitiveName(name));
        Assert.Equal(TelemetryRedactor.Mask, Redactor.RedactValue(name, "anything at all"));
    }

    [Fact]
    public void Configured_secrets_are_masked_wherever_they_appear()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:ApiKeys:0"] = "plainkey-abcdefghijklmnop",
            ["ConnectionStrings:cache"] = "localhost:6379,password=RedisPass123",
            ["ConnectionStrings:jobsdb"] = "Host=localhost;Username=postgres;Password=PgPass456;Database=jobsdb",
        }).Build();
        var redactor = new TelemetryRedactor(Options.Create(new RedactionOptions()), configuration);
        Assert.Equal("saw [REDACTED] [REDACTED] [REDACTED]", redactor.Redact("saw plainkey-abcdefghijklmnop RedisPass123 PgPass456"));
    }

    [Fact]
    public void Numbers_that_are_card_numbers_are_masked_other_values_kept()
    {
        Assert.Equal("[CARD]", Redactor.RedactValue("order", 4111111111111111L));
        Assert.Equal(42L, Redactor.RedactValue("count", 42L));
        Assert.Equal(3.5, Redactor.RedactValue("ratio", 3.5));
    }

    private static TelemetryRedactor Create(bool maskIps)
    {
        var options = new RedactionOptions { MaskIpAddresses = maskIps };
        return new TelemetryRedactor(Options.Create(options), new ConfigurationBuilder().Build());
    }
}

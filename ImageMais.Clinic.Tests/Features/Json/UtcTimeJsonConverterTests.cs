using System.Text.Json;
using ImageMais.Clinic.Features.Json;

namespace ImageMais.Clinic.Tests.Features.Json;

public sealed class UtcTimeJsonConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new UtcTimeJsonConverter() } };

    [Fact]
    public void A_UTC_time_is_written_in_ISO_8601_with_milliseconds_and_Z()
    {
        var time = new DateTime(2025, 1, 23, 10, 30, 0, DateTimeKind.Utc);

        Assert.Equal("\"2025-01-23T10:30:00.000Z\"", JsonSerializer.Serialize(time, Options));
        Assert.Equal("\"2025-01-23T10:30:00.123Z\"", JsonSerializer.Serialize(time.AddMilliseconds(123.9), Options));
    }

    [Fact]
    public void A_time_of_unspecified_kind_is_taken_as_UTC_whatever_the_servers_time_zone()
    {
        var time = new DateTime(2025, 1, 23, 10, 30, 0, DateTimeKind.Unspecified);

        Assert.Equal("\"2025-01-23T10:30:00.000Z\"", JsonSerializer.Serialize(time, Options));
    }

    [Fact]
    public void A_local_time_is_converted_to_UTC()
    {
        var utc = new DateTime(2025, 1, 23, 10, 30, 0, DateTimeKind.Utc);

        Assert.Equal("\"2025-01-23T10:30:00.000Z\"", JsonSerializer.Serialize(utc.ToLocalTime(), Options));
    }

    [Theory]
    [InlineData("\"2025-01-23T10:30:00.000Z\"")]
    [InlineData("\"2025-01-23T10:30:00Z\"")]
    [InlineData("\"2025-01-23T07:30:00-03:00\"")]
    [InlineData("\"2025-01-23T10:30:00\"")]
    public void A_time_is_read_as_UTC(string json)
    {
        var time = JsonSerializer.Deserialize<DateTime>(json, Options);

        Assert.Equal(DateTimeKind.Utc, time.Kind);
        Assert.Equal(new DateTime(2025, 1, 23, 10, 30, 0, DateTimeKind.Utc), time);
    }

    [Theory]
    [InlineData("\"23/01/2025 10:30\"")]
    [InlineData("\"\"")]
    [InlineData("1737628200")]
    [InlineData("null")]
    public void Anything_but_an_ISO_8601_time_is_refused(string json)
    {
        Assert.ThrowsAny<Exception>(() => JsonSerializer.Deserialize<DateTime>(json, Options));
    }

    [Fact]
    public void What_is_written_reads_back_the_same()
    {
        var time = new DateTime(2026, 11, 29, 6, 52, 48, 188, DateTimeKind.Utc);

        Assert.Equal(time, JsonSerializer.Deserialize<DateTime>(JsonSerializer.Serialize(time, Options), Options));
    }
}

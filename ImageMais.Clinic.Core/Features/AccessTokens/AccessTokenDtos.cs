using System.Text.Json.Serialization;
using ImageMais.Clinic.Domain;
using ImageMais.Clinic.Features.Json;

namespace ImageMais.Clinic.Features.AccessTokens;

/// <summary>A token just issued: the only time <see cref="Token"/> is ever shown.</summary>
public sealed record IssuedAccessToken(
    string Id,
    string Token,
    [property: JsonConverter(typeof(UtcTimeJsonConverter))] DateTime ExpiresAt,
    string Label);

/// <summary>A token as listed after it was issued: never its text, only a hint of its last characters.</summary>
public sealed record AccessTokenSummary(
    string Id,
    string Label,
    string Hint,
    string IssuedBy,
    DateTime IssuedAt,
    DateTime ExpiresAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt,
    AccessTokenStatus Status);

/// <summary>Who a valid token speaks for.</summary>
public sealed record AccessTokenIdentity(string TokenId, int AccountId, int UserId, DateTime ExpiresAt);

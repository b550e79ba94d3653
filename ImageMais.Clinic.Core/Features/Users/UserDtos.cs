using ImageMais.Clinic.Domain;

namespace ImageMais.Clinic.Features.Users;

/// <summary>A user as the Users page lists it.</summary>
public sealed record UserSummary(int Id, string Email, string Name, UserRole Role, bool IsActive, bool IsLockedOut, DateTime CreatedAt);

/// <summary>What a master fills in to add a user; without a password one is generated.</summary>
public sealed record NewUserInput(string? Email, string? Name, UserRole Role, string? Password = null);

/// <summary>A password just set for a user (new user or reset), shown this once.</summary>
public sealed record IssuedPassword(int UserId, string Email, string Password);

/// <summary>Who a signed-in person is: enough to build a session without asking the database again.</summary>
public sealed record SignInUser(
    int UserId, int AccountId, string AccountName, string Email, string Name, UserRole Role, bool IsActive, string SecurityStamp);

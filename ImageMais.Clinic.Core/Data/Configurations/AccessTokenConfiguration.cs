using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> builder)
    {
        builder.Property(t => t.Id).HasMaxLength(32);
        builder.Property(t => t.Label).HasMaxLength(AccessToken.LabelMaxLength);
        builder.Property(t => t.Hint).HasMaxLength(16);
        builder.HasIndex(t => new { t.AccountId, t.IssuedAt });
        builder.HasOne(t => t.IssuedBy).WithMany().HasForeignKey(t => t.IssuedByUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

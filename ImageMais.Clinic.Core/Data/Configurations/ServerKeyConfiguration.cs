using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class ServerKeyConfiguration : IEntityTypeConfiguration<ServerKey>
{
    public void Configure(EntityTypeBuilder<ServerKey> builder)
    {
        builder.HasKey(k => k.Name);
        builder.Property(k => k.Name).HasMaxLength(ServerKey.NameMaxLength);
        builder.Property(k => k.Value).HasMaxLength(4000);
    }
}

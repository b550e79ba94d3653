using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class ProcedureConfiguration : IEntityTypeConfiguration<Procedure>
{
    public void Configure(EntityTypeBuilder<Procedure> builder)
    {
        builder.Property(p => p.Name).HasMaxLength(Procedure.NameMaxLength);
        builder.Property(p => p.Price).HasPrecision(10, 2);
        builder.HasIndex(p => p.AccountId);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class DoctorProcedureConfiguration : IEntityTypeConfiguration<DoctorProcedure>
{
    public void Configure(EntityTypeBuilder<DoctorProcedure> builder)
    {
        builder.HasIndex(dp => new { dp.DoctorId, dp.ProcedureId }).IsUnique();
        builder.HasIndex(dp => dp.ProcedureId);
        // A linked procedure cannot be deleted: the service answers 409 and the database refuses it too.
        builder.HasOne(dp => dp.Procedure).WithMany().HasForeignKey(dp => dp.ProcedureId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(dp => dp.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

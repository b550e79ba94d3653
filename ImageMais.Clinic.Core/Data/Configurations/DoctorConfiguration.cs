using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class DoctorConfiguration : IEntityTypeConfiguration<Doctor>
{
    public void Configure(EntityTypeBuilder<Doctor> builder)
    {
        builder.Property(d => d.Name).HasMaxLength(Doctor.NameMaxLength);
        builder.Property(d => d.Crm).HasMaxLength(Doctor.CrmMaxLength);
        builder.Property(d => d.Email).HasMaxLength(Doctor.EmailMaxLength);
        builder.Property(d => d.Phone).HasMaxLength(Doctor.PhoneMaxLength);
        builder.HasIndex(d => new { d.AccountId, d.Crm }).IsUnique();
        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.DoctorProcedures).WithOne(dp => dp.Doctor).HasForeignKey(dp => dp.DoctorId).OnDelete(DeleteBehavior.Cascade);
    }
}

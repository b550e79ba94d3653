using ImageMais.Clinic.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ImageMais.Clinic.Data.Configurations;

internal sealed class LoggedEventConfiguration : IEntityTypeConfiguration<LoggedEvent>
{
    public void Configure(EntityTypeBuilder<LoggedEvent> builder)
    {
        builder.ToTable("AccountEvents");

        // Reads are always "this account's events after N, in order": the key is that index.
        builder.HasKey(e => new { e.AccountId, e.Seq });
        builder.Property(e => e.Seq).ValueGeneratedNever();
        builder.Property(e => e.Name).HasMaxLength(LoggedEvent.NameMaxLength);

        // Pruning deletes by age across accounts.
        builder.HasIndex(e => e.At);
        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Restrict);
    }
}

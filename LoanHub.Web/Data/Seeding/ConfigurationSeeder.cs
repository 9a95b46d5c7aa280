using LoanHub.Web.Features.Configuration;

namespace LoanHub.Web.Data.Seeding;

/// <summary>
/// Applies the file named by <c>LoanHub:Seed:File</c> at every start; a bad file stops the start with a clear message.
/// Its API keys and delivery secrets reach only the entries it creates, or those that ask with <c>replaceApiKey</c> /
/// <c>replaceSecret</c> (<see cref="ConfigurationImporter"/>): a restart does not undo a rotation.
/// </summary>
internal sealed class ConfigurationSeeder(ConfigurationImporter importer, ILogger<ConfigurationSeeder> logger)
{
    public async Task ApplyFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new ConfigurationException($"The seed file {path} (LoanHub:Seed:File) does not exist.");
        var document = ConfigurationDocument.Parse(await File.ReadAllTextAsync(path, cancellationToken));
        var name = Path.GetFileName(path);
        var summary = await importer.ApplyAsync(document, "seed:" + name, $"seed file {name}", cancellationToken);
        logger.LogInformation("Seed file {Path}: {Summary}.", path, summary);
    }
}

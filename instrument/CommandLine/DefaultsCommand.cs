using System.CommandLine;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models.BuiltIn;
using LatentTerrain.Models.Defaults;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary>
/// <c>terrain defaults</c>: makes the default dataset with the built-in codec and trains the default
/// terrain from it; what models/Defaults holds and the program embeds.
/// </summary>
internal static class DefaultsCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var output = new Option<string>("--out", "-o") { Description = "folder for default-dataset.json and default.terrain", Required = true };
        var command = new Command("defaults", "Regenerate the built-in dataset and terrain (for developers: they ship in models/Defaults).") { output };
        command.SetAction(result =>
        {
            string folder = result.GetRequiredValue(output);
            if (!Directory.Exists(folder)) throw new UsageException($"{folder}: no such folder (--out)");
            string datasetPath = Path.Combine(folder, BuiltInDefaults.DatasetFileName), terrainPath = Path.Combine(folder, BuiltInDefaults.TerrainFileName);

            var dataset = DefaultDataset.Make();
            DatasetFile.Save(dataset, datasetPath);
            var trainer = new TerrainTrainer(TerrainNetwork.Create(DefaultDataset.TerrainConfig), dataset.ToPairs(), DefaultDataset.Training);
            float loss = float.NaN;
            console.Status().Start("training the default terrain", _ =>
            {
                while (trainer.Epoch < DefaultDataset.Training.Epochs) loss = trainer.TrainEpoch();
            });
            TerrainFile.Save(trainer.Network, terrainPath);
            console.MarkupLineInterpolated($"{dataset.Trajectories.Count} fragments, {dataset.ToPairs().Count} pairs -> {datasetPath}");
            console.MarkupLineInterpolated($"{trainer.Epoch} epochs, final loss {loss:G4} -> {terrainPath}");
            return 0;
        });
        return command;
    }
}

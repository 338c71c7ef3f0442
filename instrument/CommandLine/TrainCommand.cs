using System.CommandLine;
using System.Diagnostics;
using LatentTerrain.Engine.Datasets;
using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using Spectre.Console;

namespace LatentTerrain.Instrument.CommandLine;

/// <summary><c>terrain train</c>: a dataset of paths or points -> a terrain file.</summary>
internal static class TrainCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var defaults = new TerrainConfig();
        var training = new TrainingOptions();
        var dataset = new Option<string>("--dataset", "-d") { Description = "dataset JSON: ours, or the reference's Max dictionary", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "terrain file to write (safetensors)", Required = true };
        var from = new Option<string>("--from") { Description = "continue training this terrain instead of starting a new one" };
        var epochs = new Option<int>("--epochs") { Description = "passes over the dataset", DefaultValueFactory = _ => training.Epochs };
        var width = new Option<int>("--width") { Description = "neurons per hidden layer", DefaultValueFactory = _ => defaults.Width };
        var depth = new Option<int>("--depth") { Description = "hidden layers", DefaultValueFactory = _ => defaults.Depth };
        var features = new Option<int>("--features") { Description = "Fourier mapping size m (2m features)", DefaultValueFactory = _ => defaults.FourierFeatures };
        var sigma = new Option<float>("--sigma")
        {
            Description = $"spread of the Fourier features; 0 = a plain linear input (smoothest) [default: {defaults.Sigma}, or 0 for a dataset of points only]",
        };
        var activation = new Option<Activation>("--activation") { Description = "hidden-layer activation", DefaultValueFactory = _ => defaults.Activation };
        var lr = new Option<float>("--lr") { Description = "Adam's learning rate", DefaultValueFactory = _ => training.LearningRate };
        var batch = new Option<int>("--batch") { Description = "pairs per training step", DefaultValueFactory = _ => training.BatchSize };
        var seed = new Option<int>("--seed") { Description = "seeds the initial weights and the shuffling", DefaultValueFactory = _ => 0 };

        var command = new Command("train", "Train a terrain from a dataset of paths (audio fragments) or points.")
        {
            dataset, output, from, epochs, width, depth, features, sigma, activation, lr, batch, seed,
        };
        command.SetAction((result, cancel) =>
        {
            string datasetPath = Options.ExistingFile(result, dataset);
            string outputPath = Options.OutputFile(result, output);
            var data = DatasetFile.Load(datasetPath);
            if (data.IsEmpty) throw new UsageException($"{datasetPath}: the dataset has no paths and no points");
            var pairs = data.ToPairs();

            TerrainNetwork start;
            if (result.GetValue(from) is string fromPath)
            {
                foreach (Option shape in new Option[] { width, depth, features, sigma, activation })
                    if (Options.Given(result, shape))
                        throw new UsageException($"{shape.Name} cannot change the shape of the terrain given by --from");
                start = TerrainFile.Load(fromPath);
                if (start.Config.LatentSize != pairs.LatentSize || start.Config.InputDims != pairs.InputDims)
                    throw new UsageException($"{datasetPath}: its {pairs.InputDims}-D -> {pairs.LatentSize} pairs do not fit the terrain {fromPath} ({start.Config.InputDims}-D -> {start.Config.LatentSize})");
            }
            else
            {
                bool pointsOnly = data.Trajectories.Count == 0;
                var config = new TerrainConfig
                {
                    InputDims = pairs.InputDims,
                    LatentSize = pairs.LatentSize,
                    Width = result.GetValue(width),
                    Depth = result.GetValue(depth),
                    FourierFeatures = result.GetValue(features),
                    Sigma = Options.Given(result, sigma) ? result.GetValue(sigma) : pointsOnly ? 0f : defaults.Sigma,
                    Activation = result.GetValue(activation),
                    Seed = result.GetValue(seed),
                };
                config.Validate();
                start = TerrainNetwork.Create(config);
            }
            var options = new TrainingOptions
            {
                Epochs = result.GetValue(epochs),
                LearningRate = result.GetValue(lr),
                BatchSize = result.GetValue(batch),
                Seed = result.GetValue(seed),
            };
            options.Validate();
            // On the thread pool, so that Ctrl-C reaches the token (see PlayCommand) and the run can say what it did not write.
            return Task.Run(() => Train(console, start, pairs, options, outputPath, cancel));
        });
        return command;
    }

    private static int Train(IAnsiConsole console, TerrainNetwork start, TrainingPairs pairs, TrainingOptions options, string outputPath, CancellationToken cancel)
    {
        var config = start.Config;
        console.MarkupLineInterpolated(
            $"[grey]{pairs.Count} pairs; terrain {config.InputDims}-D -> {config.LatentSize}, width {config.Width}, depth {config.Depth}, {(config.UsesFourierFeatures ? $"{config.FourierFeatures} Fourier features, sigma {config.Sigma}" : "linear input")}, {config.Activation}, {start.ParameterCount} parameters[/]");
        var snapshots = new TerrainSnapshots(start);
        using var trainer = new BackgroundTrainer(snapshots, start, pairs, options);
        var clock = Stopwatch.StartNew();
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.Epochs);
                trainer.Start();
                using var stop = cancel.Register(trainer.Cancel);
                while (!trainer.Wait(TimeSpan.FromMilliseconds(100)))
                    Show(task, trainer.Progress);
                Show(task, trainer.Progress);
            });

        var progress = trainer.Progress;
        if (progress.Message != null) console.MarkupLineInterpolated($"[yellow]{progress.Message}[/]");
        switch (progress.State)
        {
            case TrainingState.Cancelled:
                console.MarkupLineInterpolated($"[yellow]cancelled after {progress.Epoch} epochs; {outputPath} not written[/]");
                return 130;
            case TrainingState.Failed:
                throw new UsageException($"training failed: {progress.Message}; {outputPath} not written");
        }
        using (var final = snapshots.Acquire()) TerrainFile.Save(final.Network, outputPath);
        console.MarkupLineInterpolated(
            $"trained {progress.Epoch} epochs ({progress.Step} steps, {clock.Elapsed.TotalSeconds:F1} s, {progress.StepsPerSecond:F0} steps/s), final loss [bold]{progress.Loss:G4}[/] -> {outputPath}");
        return 0;
    }

    private static void Show(ProgressTask task, TrainingProgress progress)
    {
        task.Value = progress.Epoch;
        task.Description = float.IsNaN(progress.Loss) ? "training" : $"epoch {progress.Epoch}/{progress.Epochs}  loss {progress.Loss:G4}";
    }
}

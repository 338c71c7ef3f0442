using LatentTerrain.Instrument.CommandLine;

return TerrainCommandLine.Run(args);

using LatentTerrain.Engine.Files;
using LatentTerrain.Engine.Terrain;
using LatentTerrain.Models.Defaults;

namespace LatentTerrain.Instrument;

/// <summary>The terrain the instrument plays when none is given: shipped inside the program (models/Defaults).</summary>
public static class DefaultTerrain
{
    public const string Name = "built-in terrain";

    public static TerrainNetwork Load() => TerrainFile.Load(BuiltInDefaults.Terrain(), Name);
}

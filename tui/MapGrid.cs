using LatentTerrain.Engine.Maps;

namespace LatentTerrain.Tui;

/// <summary>
/// The plane as the map's cells see it: <see cref="Columns"/> x <see cref="Rows"/> cells over
/// <see cref="Bounds"/>, each cell two pixels high. A cell's x is its pixel column's centre and its y
/// the centre between its two pixel rows, by the arithmetic of <see cref="TerrainMap.ColumnX"/> and
/// <see cref="TerrainMap.RowY"/>, so a touch lands where the picture shows it.
/// </summary>
internal readonly record struct MapGrid(PlaneBounds Bounds, int Columns, int Rows)
{
    public float X(int column) => (float)(Bounds.XMin + (column + 0.5) * ((double)Bounds.XMax - Bounds.XMin) / Columns);

    public float Y(int row) => (float)(Bounds.YMax - (row + 0.5) * ((double)Bounds.YMax - Bounds.YMin) / Rows);

    /// <summary>The column holding x (may be outside 0..Columns-1).</summary>
    public int Column(float x) => (int)Math.Floor((x - (double)Bounds.XMin) / ((double)Bounds.XMax - Bounds.XMin) * Columns);

    /// <summary>The row holding y (may be outside 0..Rows-1).</summary>
    public int Row(float y) => (int)Math.Floor(((double)Bounds.YMax - y) / ((double)Bounds.YMax - Bounds.YMin) * Rows);

    public bool Contains(int column, int row) => (uint)column < (uint)Columns && (uint)row < (uint)Rows;
}

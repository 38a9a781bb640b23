using Spectre.Console;

namespace StreamMatte.Cli;

/// <summary>
/// Writes a measurement table whole. Spectre fits a table to the console's width, folding headers and splitting
/// cells; on a pipe or a narrow terminal that split model file names across lines ("…r18x05.o" / "nnx"), and a
/// report that is read, diffed and pasted into model cards must not be misread. So the first column (the model)
/// never wraps, and where the output is redirected or narrow the table is given room.
/// </summary>
internal static class ReportTable
{
    private const int RoomyWidth = 240;

    public static void Write(Table table)
    {
        table.Columns[0].NoWrap = true;
        if (Console.IsOutputRedirected || AnsiConsole.Profile.Width < RoomyWidth) AnsiConsole.Profile.Width = RoomyWidth;
        AnsiConsole.Write(table);
    }
}

using DeepSharp.Cli;

return DeepSharpCommand.Run(args);

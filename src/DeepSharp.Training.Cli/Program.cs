using DeepSharp.Training.Cli;

return TrainCommand.Run(args);

export const noopActivities = {
  async noop(step: string): Promise<string> {
    return step;
  },
};

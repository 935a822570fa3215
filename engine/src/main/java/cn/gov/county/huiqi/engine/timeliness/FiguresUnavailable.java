package cn.gov.county.huiqi.engine.timeliness;

/** The figures cannot be given now: the reference data (units, calendar) is not deployed, or a rebuild failed. */
public class FiguresUnavailable extends RuntimeException {
  public FiguresUnavailable(String message) {
    super(message);
  }
}
